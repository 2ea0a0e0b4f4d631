/**
 * `ssf-lab checks`: list every check, the requirement it cites under each profile and its level.
 */
import { flag, parseCommandArgs, stringOption } from '../config/argv.ts';
import { checkCatalogue, getProfile, renderCatalogueMarkdown } from '../protocol/index.ts';
import { type CliIo, EXIT } from './io.ts';
import { renderJson } from './render.ts';

export const CHECKS_HELP = `Usage:
  ssf-lab checks [--profile NAME] [--json | --markdown]

Lists every check the SET validator makes: its id, what it asserts, the requirement it cites under each
profile, the finding level that follows from the requirement's keyword, and the RFC 8935 error code.
`;

export function checksCommand(rest: readonly string[], io: CliIo): number {
  const args = parseCommandArgs(rest, {
    profile: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(args, 'help')) {
    io.stdout(CHECKS_HELP);
    return EXIT.ok;
  }
  const name = stringOption(args, 'profile');
  const profile = name === undefined ? undefined : getProfile(name).name;
  if (flag(args, 'markdown')) {
    io.stdout(renderCatalogueMarkdown());
    return EXIT.ok;
  }
  const rows = checkCatalogue(profile);
  if (flag(args, 'json')) {
    io.stdout(renderJson(rows));
    return EXIT.ok;
  }
  for (const row of rows) {
    const cites = Object.entries(row.profiles)
      .map(
        ([p, entries]) => `${p}: ${(entries ?? []).map((e) => `${e.requirement} (${e.level})`).join(', ')}`,
      )
      .join('; ');
    io.stdout(`${row.check}\n    ${row.title}\n    ${cites} · err ${row.err}\n`);
  }
  io.stdout(`${rows.length} checks\n`);
  return EXIT.ok;
}
