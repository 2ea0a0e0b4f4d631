/**
 * The requirement → checks review (docs/requirements.md): for every requirement in the registry, the
 * sentence of the spec it rests on (quoted), its keyword and the finding level that follows, why the level
 * is what it is, and every check that cites it — the SET validator's (per profile) and the conformance
 * suites' (per plan and module). A check index at the end answers the other question: for a check id,
 * which requirement, which sentence, which level and why. Requirements nothing cites are listed as
 * uncovered, so a gap in coverage is visible. `npm run docs` writes the file; a test fails when the
 * committed file drifts from the code.
 */
import {
  checkCatalogue,
  REQUIREMENTS,
  type Requirement,
  type RequirementId,
  SPECS,
} from '../protocol/index.ts';
import type { PlanEntry } from './engine.ts';
import { PLAN_ENTRIES } from './plan-entries.ts';

export interface RequirementCoverage {
  readonly requirement: Requirement;
  /** Validator checks: `check-id` with the profiles under which it cites the requirement. */
  readonly validator: readonly { readonly check: string; readonly profiles: readonly string[] }[];
  /** Suite checks: plan, module and check id. */
  readonly suites: readonly { readonly plan: string; readonly module: string; readonly check: string }[];
}

/** Every requirement with the checks that cite it, in the registry's order. */
export function requirementCoverage(entries: readonly PlanEntry[] = PLAN_ENTRIES): RequirementCoverage[] {
  const validator = new Map<string, Map<string, string[]>>();
  for (const row of checkCatalogue()) {
    for (const [profile, cited] of Object.entries(row.profiles)) {
      for (const { requirement } of cited ?? []) {
        const byCheck = validator.get(requirement) ?? new Map<string, string[]>();
        const profiles = byCheck.get(row.check) ?? [];
        if (!profiles.includes(profile)) profiles.push(profile);
        byCheck.set(row.check, profiles);
        validator.set(requirement, byCheck);
      }
    }
  }
  const suites = new Map<string, { plan: string; module: string; check: string }[]>();
  for (const { plan } of entries)
    for (const module of plan.modules)
      for (const check of module.checks) {
        const list = suites.get(check.requirement) ?? [];
        list.push({ plan: plan.name, module: module.id, check: check.id });
        suites.set(check.requirement, list);
      }
  return (Object.keys(REQUIREMENTS) as RequirementId[]).map((id) => ({
    requirement: REQUIREMENTS[id],
    validator: [...(validator.get(id) ?? new Map<string, string[]>())].map(([check, profiles]) => ({
      check,
      profiles,
    })),
    suites: suites.get(id) ?? [],
  }));
}

/**
 * The fragment GitHub gives a heading: lower case, punctuation but '-' and '_' dropped. Each requirement
 * is a heading named by its id, so the check index can link to it.
 */
export function headingAnchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replaceAll(' ', '-');
}

/** docs/ sits one level below the README that ssf-lab's own limits link to. */
function specUrl(url: string): string {
  return url.startsWith('https://') ? url : `../${url}`;
}

/** Text in a Markdown line: "<" would open an HTML tag and swallow what follows. */
function text(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').replaceAll('<', '&lt;');
}

/** Text in a table cell: also no bare "|". */
function cell(s: string): string {
  return text(s).replaceAll('|', '\\|');
}

/** "MUST → failure": the keyword and the finding level it sets. */
export function levelLabel(r: Requirement): string {
  return `${r.keyword} → ${r.level}`;
}

/** Where the requirement comes from, as a link: "RFC 7515 § 4", "SSF § 8.1.1", "OKTA § …". */
function citation(r: Requirement): string {
  const version = SPECS[r.spec].version;
  return `[${version.startsWith('RFC ') ? version : r.spec} § ${r.section}](${specUrl(r.url)})`;
}

const NO_SPEC_TEXT = 'No spec sentence: an ssf-lab rule or operating limit.';

function requirementSection(row: RequirementCoverage): string[] {
  const r = row.requirement;
  const lines = [`### ${r.id}`, '', `**${levelLabel(r)}** · ${citation(r)}`, ''];
  lines.push(r.quote === undefined ? `> _${NO_SPEC_TEXT}_` : `> ${text(r.quote)}`, '');
  lines.push(`- **Why this level:** ${text(r.why)}`);
  lines.push(`- **In short:** ${text(r.summary)}`);
  const v = row.validator.map((c) => `\`${c.check}\` (${c.profiles.join(', ')})`).join(', ');
  const s = row.suites.map((c) => `${c.plan} › ${c.module} › \`${c.check}\``).join('; ');
  lines.push(`- **Validator checks:** ${v || '—'}`);
  lines.push(`- **Suite checks:** ${s || '—'}`);
  lines.push('');
  return lines;
}

interface IndexRow {
  readonly check: string;
  readonly where: string;
  readonly requirement: Requirement;
}

/** One row per check and requirement it cites: the validator's by profile, the suites' by plan. */
function checkIndex(rows: readonly RequirementCoverage[]): { validator: IndexRow[]; suites: IndexRow[] } {
  const validator: IndexRow[] = [];
  const suites: IndexRow[] = [];
  for (const row of rows) {
    for (const c of row.validator)
      validator.push({ check: c.check, where: c.profiles.join(', '), requirement: row.requirement });
    for (const c of row.suites)
      suites.push({ check: c.check, where: `${c.plan} › ${c.module}`, requirement: row.requirement });
  }
  const byCheck = (a: IndexRow, b: IndexRow): number =>
    a.check.localeCompare(b.check) || a.requirement.id.localeCompare(b.requirement.id);
  return { validator: validator.sort(byCheck), suites: suites.sort(byCheck) };
}

function indexTable(title: string, whereHeader: string, rows: readonly IndexRow[]): string[] {
  const lines = [
    `### ${title}`,
    '',
    `| check | ${whereHeader} | cites | level | quote | why |`,
    '|---|---|---|---|---|---|',
  ];
  for (const { check, where, requirement: r } of rows) {
    const quote = r.quote === undefined ? `_${NO_SPEC_TEXT}_` : `“${cell(r.quote)}”`;
    lines.push(
      `| \`${check}\` | ${cell(where)} | [${r.id}](#${headingAnchor(r.id)}) | ${levelLabel(r)} | ${quote} | ${cell(r.why)} |`,
    );
  }
  lines.push('');
  return lines;
}

/** docs/requirements.md. */
export function renderRequirementsMarkdown(entries: readonly PlanEntry[] = PLAN_ENTRIES): string {
  const rows = requirementCoverage(entries);
  const covered = rows.filter((r) => r.validator.length > 0 || r.suites.length > 0).length;
  const lines = [
    '# Requirements and the checks that cite them',
    '',
    'Generated by `npm run docs`; a test fails when this file drifts from the code.',
    '',
    'Every requirement ssf-lab knows, grouped by the document it comes from. For each: the sentence it rests',
    'on, quoted as the document words it ("…" marks what was left out); its BCP 14 keyword and the finding',
    'level that follows (MUST → failure, SHOULD → warning, MAY → info); why the level is what it is — where',
    'the sentence has no keyword, or no sentence requires the behaviour at all, the line says so and the',
    'check is at most a warning; and every check that cites it: the SET validator\u2019s (with the profiles',
    'that run it; see [checks.md](checks.md)) and the conformance suites\u2019 (`plan` › `module` › `check`;',
    'run them with `ssf-lab certify`). To start from a check id, use the [check index](#check-index).',
    '',
    `${covered} of ${rows.length} requirements are cited by at least one check.`,
    '',
  ];
  for (const [specId, spec] of Object.entries(SPECS)) {
    const ofSpec = rows.filter((r) => r.requirement.spec === specId);
    if (ofSpec.length === 0) continue;
    const url = specUrl(spec.url);
    lines.push(`## ${spec.title} (${spec.version})`, '', `[${url}](${url})`, '');
    for (const row of ofSpec) lines.push(...requirementSection(row));
  }
  const uncovered = rows.filter((r) => r.validator.length === 0 && r.suites.length === 0);
  lines.push('## Uncovered', '');
  if (uncovered.length === 0) lines.push('Every requirement is cited by at least one check.', '');
  else {
    lines.push('Requirements no check cites yet:', '');
    for (const r of uncovered)
      lines.push(
        `- [${r.requirement.id}](#${headingAnchor(r.requirement.id)}) (${r.requirement.keyword}): ${text(r.requirement.summary)}`,
      );
    lines.push('');
  }
  const index = checkIndex(rows);
  lines.push(
    '## Check index',
    '',
    'Every check id with the requirement it cites (a validator check can cite a different one under each',
    'profile, and the event and subject checks cite the definition of the type or format they judge), the',
    'level its findings get, the quoted sentence and why.',
    '',
  );
  lines.push(...indexTable('SET validator', 'profiles', index.validator));
  lines.push(...indexTable('Conformance suites', 'plan › module', index.suites));
  return `${lines.join('\n').trimEnd()}\n`;
}
