/**
 * `ssf-lab report --from SOURCE`: renders a run record as the reports a run writes (report.html,
 * certification.json, junit.xml, summary.md). SOURCE is a running lab's manifest (`ssf-lab serve
 * --manifest FILE`: its `GET /_lab/record` is fetched with the manifest's admin token), the URL of a lab's
 * `/_lab/record` (the token from SSF_LAB_ADMIN_TOKEN), or a record file (`certification.json`, to render it
 * again). The record is checked against its schema before anything is written.
 */
import { resolve } from 'node:path';
import { parseCertificationRecord, writeCertificationReports } from '../../reports/index.ts';
import { flag, parseCommandArgs, stringOption } from '../config/argv.ts';
import { readFileBounded } from '../config/inputs.ts';
import { DEFAULT_REPORTS_DIR, prepareOutputDir } from '../config/outputs.ts';
import { serveEnvironment } from '../config/serve-env.ts';
import { BodyTooLargeError, HarnessError, readBodyHeadText, readBodyText } from '../kernel/index.ts';
import { parseStrictJson } from '../protocol/index.ts';
import type { CertificationRecord } from '../records/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { type CliIo, EXIT } from './io.ts';

/** A record can be large (every exchange of a long session): more than this is refused, not buffered. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 60_000;

export const REPORT_HELP = `Usage:
  ssf-lab report --from SOURCE [--out DIR] [--ca-file FILE]

  Renders a run record as report.html, certification.json, junit.xml and summary.md in DIR
  (default ${DEFAULT_REPORTS_DIR}). SOURCE is one of:
    MANIFEST   a running lab's manifest (ssf-lab serve --manifest FILE): the lab's record so far is
               fetched from GET <okta>/_lab/record with the manifest's lab admin token, trusting the
               manifest's CA
    URL        a lab's http(s)://…/_lab/record; the admin token comes from SSF_LAB_ADMIN_TOKEN, and
               --ca-file names the lab's CA certificate for https (the manifest's tls.caFile)
    RECORD     a certification.json written by ssf-lab, rendered again

Exit codes: 0 written, 2 a bad option, an unreadable or invalid source, or an unwritable DIR.
`;

interface Fetched {
  readonly text: string;
  readonly from: string;
}

async function fetchRecord(
  url: string,
  token: string | undefined,
  fetchImpl: typeof fetch,
): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: {
        accept: 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new HarnessError(
      'ERR_INPUT_UNREADABLE',
      `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  if (!response.ok) {
    const { text } = await readBodyHeadText(response, 512).catch(() => ({ text: '' }));
    const hint =
      response.status === 401
        ? token === undefined
          ? ' (the lab asks for its admin token: set SSF_LAB_ADMIN_TOKEN, or give the manifest as SOURCE)'
          : ' (the admin token was refused)'
        : '';
    throw new HarnessError(
      'ERR_INPUT_UNREADABLE',
      `${url} answered ${response.status}${hint}${text === '' ? '' : `: ${text.replace(/\s+/g, ' ').slice(0, 200)}`}`,
    );
  }
  try {
    return { text: await readBodyText(response, MAX_RECORD_BYTES), from: url };
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new HarnessError(
        'ERR_INPUT_INVALID',
        `the record at ${url} is larger than ${MAX_RECORD_BYTES} bytes`,
      );
    throw error;
  }
}

/** A fetch trusting `ca` (a lab's CA certificate, PEM) besides node's roots; the process's own without it. */
function fetchTrusting(ca: string | undefined, io: CliIo): typeof fetch {
  if (io.fetch !== undefined) return io.fetch;
  return ca === undefined ? (input, init) => globalThis.fetch(input, init) : createHttpFetch({ ca });
}

/** The record SOURCE names, as text, and where it came from. */
async function recordText(source: string, caFile: string | undefined, io: CliIo): Promise<Fetched> {
  if (/^https?:\/\//i.test(source)) {
    const env = io.env === undefined ? serveEnvironment() : serveEnvironment(io.env);
    const ca = caFile === undefined ? undefined : await readFileBounded(caFile, 'the CA file');
    return fetchRecord(source, env.credentials.adminToken, fetchTrusting(ca, io));
  }
  const text = await readFileBounded(source, 'the record source', MAX_RECORD_BYTES);
  const parsed = parseStrictJson(text, 128);
  if (!parsed.ok)
    throw new HarnessError('ERR_INPUT_INVALID', `"${source}" is not valid JSON: ${parsed.message}`);
  const value = parsed.value as {
    schema?: unknown;
    okta?: { url?: unknown };
    lab?: { adminToken?: unknown };
  };
  if (value !== null && typeof value === 'object' && 'schema' in value) return { text, from: source };
  const okta = value?.okta?.url;
  if (typeof okta !== 'string' || !URL.canParse(okta))
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `"${source}" is neither a run record (no "schema") nor a lab manifest (no "okta.url")`,
    );
  const token = value.lab?.adminToken;
  const ca = (value as { tls?: { caCert?: unknown } }).tls?.caCert;
  return fetchRecord(
    new URL('/_lab/record', okta).href,
    typeof token === 'string' ? token : undefined,
    fetchTrusting(typeof ca === 'string' ? ca : undefined, io),
  );
}

export async function reportCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, {
    from: { type: 'string' },
    out: { type: 'string' },
    'ca-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(args, 'help')) {
    io.stdout(REPORT_HELP);
    return EXIT.ok;
  }
  const extra = args.positionals[0];
  if (extra !== undefined)
    throw new HarnessError('ERR_USAGE', `report takes no arguments, not "${extra}" (use --from SOURCE)`);
  const source = stringOption(args, 'from');
  if (source === undefined || source === '')
    throw new HarnessError(
      'ERR_USAGE',
      'report needs --from MANIFEST, URL or RECORD (ssf-lab report --help)',
    );
  const out = stringOption(args, 'out') ?? DEFAULT_REPORTS_DIR;
  if (out === '') throw new HarnessError('ERR_USAGE', '--out needs a DIR');
  await prepareOutputDir(out, 'the reports');
  const caFile = stringOption(args, 'ca-file');
  if (caFile === '') throw new HarnessError('ERR_USAGE', '--ca-file needs a FILE');
  const { text, from } = await recordText(source, caFile, io);
  let record: CertificationRecord;
  try {
    record = parseCertificationRecord(text);
  } catch (error) {
    throw new HarnessError('ERR_INPUT_INVALID', `${from}: ${(error as Error).message}`);
  }
  const paths = await writeCertificationReports(record, resolve(out));
  const exchanges = record.plans.reduce(
    (n, p) => n + p.modules.reduce((m, module) => m + module.exchanges.length, 0),
    0,
  );
  io.stdout(
    `ssf-lab report: ${record.target.name} — ${exchanges} exchange${exchanges === 1 ? '' : 's'}\nReports: ${paths.html} (open it in a browser; it needs no network)\n`,
  );
  return EXIT.ok;
}
