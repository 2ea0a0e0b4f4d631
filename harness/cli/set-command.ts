/**
 * `ssf-lab set decode|lint|verify|sign`: inspect, judge and produce SETs from the command line.
 */
import {
  flag,
  type ParsedArgs,
  parseCommandArgs,
  requireStringOption,
  stringOption,
} from '../config/argv.ts';
import { readJsonFile, readJsonOption, readTokenInput, resolveJwksOption } from '../config/inputs.ts';
import { HarnessError, randomIds } from '../kernel/index.ts';
import {
  buildEventSet,
  decodeSet,
  getProfile,
  hasFailures,
  importSigningKey,
  isJsonObject,
  isSigningAlgorithm,
  lintSet,
  type ProfileName,
  signSet,
  type ValidateSetOptions,
  validateSet,
} from '../protocol/index.ts';
import { type CliIo, EXIT } from './io.ts';
import { renderFindings, renderJson } from './render.ts';

export const SET_HELP = `Usage:
  ssf-lab set decode [FILE|-] [--json]
  ssf-lab set lint   [FILE|-] [--profile NAME] [--jwks FILE|URL] [--json] [expectations]
  ssf-lab set verify [FILE|-]  --jwks FILE|URL  [--profile NAME] [--json] [expectations]
  ssf-lab set sign --key JWK_FILE --event URI --payload JSON --subject JSON
                   [--profile NAME] [--iss URL] [--aud AUD] [--txn ID] [--jti ID] [--iat SECONDS]
                   [--alg RS256|PS256|ES256|EdDSA] [--allow-invalid]

  decode   print the header and claims without judging them (only structural problems are reported)
  lint     judge header, claims, events and subjects under a profile; with --jwks also the signature
  verify   like lint, and the signature must verify against --jwks
  sign     build a one-event SET under a profile and print it (the subject goes where the profile expects)

The token is read from FILE, or from stdin when FILE is "-" or absent.

Options:
  --profile NAME      ssf (default) | caep-interop | okta
  --jwks FILE|URL     the transmitter's JWKS (a URL is fetched with a 5 s timeout and a 256 KiB limit)
  --json              print {"header", "payload", "findings"} as JSON on stdout
  --iss URL           expected issuer (lint/verify) or the issuer to stamp (sign)
  --aud AUD           expected audience (lint/verify) or the audience to stamp (sign)
  --stream-id ID      expected stream id of a verification or stream-updated event
  --state STATE       expected verification state; --unsolicited expects none
  --now SECONDS       judge "iat" against this time instead of the clock
  JSON values for --payload and --subject are inline JSON or @FILE.

Exit codes: 0 no failure-level findings, 1 failures found, 2 usage error or unreadable input.
`;

const JUDGE_OPTIONS = {
  profile: { type: 'string' },
  jwks: { type: 'string' },
  json: { type: 'boolean' },
  iss: { type: 'string' },
  aud: { type: 'string' },
  'stream-id': { type: 'string' },
  state: { type: 'string' },
  unsolicited: { type: 'boolean' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SIGN_OPTIONS = {
  key: { type: 'string' },
  profile: { type: 'string' },
  event: { type: 'string' },
  payload: { type: 'string' },
  subject: { type: 'string' },
  iss: { type: 'string' },
  aud: { type: 'string' },
  txn: { type: 'string' },
  jti: { type: 'string' },
  iat: { type: 'string' },
  alg: { type: 'string' },
  'allow-invalid': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function profileOf(args: ParsedArgs): ProfileName {
  return getProfile(stringOption(args, 'profile') ?? 'ssf').name;
}

function secondsOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new HarnessError('ERR_USAGE', `--${name} must be seconds since the epoch, got "${value}"`);
  return Number(value);
}

function single(args: ParsedArgs): string | undefined {
  if (args.positionals.length > 1) {
    throw new HarnessError(
      'ERR_USAGE',
      `expected one FILE, got ${args.positionals.length}: ${args.positionals.join(' ')}`,
    );
  }
  return args.positionals[0];
}

async function judge(mode: 'lint' | 'verify', rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, JUDGE_OPTIONS);
  if (flag(args, 'help')) {
    io.stdout(SET_HELP);
    return EXIT.ok;
  }
  const profile = profileOf(args);
  const jwks = stringOption(args, 'jwks');
  if (mode === 'verify' && jwks === undefined)
    throw new HarnessError('ERR_USAGE', 'set verify needs --jwks FILE|URL');
  if (flag(args, 'unsolicited') && stringOption(args, 'state') !== undefined) {
    throw new HarnessError('ERR_USAGE', '--state and --unsolicited contradict each other');
  }
  const token = await readTokenInput(single(args), io);
  const now = secondsOption(args, 'now');
  const state = flag(args, 'unsolicited') ? null : stringOption(args, 'state');
  const iss = stringOption(args, 'iss');
  const aud = stringOption(args, 'aud');
  const streamId = stringOption(args, 'stream-id');
  const options: ValidateSetOptions = {
    profile,
    ...(now === undefined ? (io.clock ? { clock: io.clock } : {}) : { clock: { now: () => now * 1000 } }),
    ...(iss === undefined ? {} : { expectedIssuer: iss }),
    ...(aud === undefined ? {} : { expectedAudience: aud }),
    ...(streamId === undefined ? {} : { expectedStreamId: streamId }),
    ...(state === undefined ? {} : { expectedState: state }),
    ...(jwks === undefined
      ? {}
      : { keys: await resolveJwksOption(jwks, io.fetch ? { fetch: io.fetch } : {}) }),
  };
  const result = jwks === undefined ? lintSet(token, options) : await validateSet(token, options);
  let failed = hasFailures(result.findings);
  if (mode === 'verify' && result.signature !== 'valid') failed = true;

  if (flag(args, 'json')) {
    io.stdout(renderJson({ header: result.header, payload: result.payload, findings: result.findings }));
  } else {
    io.stdout(
      `profile ${profile} · signature ${result.signature}${jwks === undefined ? ' (no --jwks given)' : ''}\n`,
    );
    if (result.header) io.stdout(`header  ${JSON.stringify(result.header)}\n`);
    if (result.payload)
      io.stdout(`claims  ${JSON.stringify(result.payload, null, 2).replaceAll('\n', '\n        ')}\n`);
    io.stdout(renderFindings(result.findings, io.color));
  }
  return failed ? EXIT.failures : EXIT.ok;
}

async function decode(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flag(args, 'help')) {
    io.stdout(SET_HELP);
    return EXIT.ok;
  }
  const token = await readTokenInput(single(args), io);
  const result = decodeSet(token);
  if (flag(args, 'json')) {
    io.stdout(renderJson(result));
  } else {
    io.stdout(
      `header  ${JSON.stringify(result.header, null, 2)}\nclaims  ${JSON.stringify(result.payload, null, 2)}\n`,
    );
    if (result.findings.length > 0) io.stdout(renderFindings(result.findings, io.color));
  }
  return hasFailures(result.findings) ? EXIT.failures : EXIT.ok;
}

async function sign(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, SIGN_OPTIONS);
  if (flag(args, 'help')) {
    io.stdout(SET_HELP);
    return EXIT.ok;
  }
  if (args.positionals.length > 0)
    throw new HarnessError(
      'ERR_USAGE',
      `set sign takes no FILE argument (got ${args.positionals.join(' ')})`,
    );
  const profile = profileOf(args);
  const algOption = stringOption(args, 'alg');
  if (algOption !== undefined && !isSigningAlgorithm(algOption)) {
    throw new HarnessError('ERR_USAGE', `--alg ${algOption} is not one of RS256, PS256, ES256, EdDSA`);
  }
  const key = await importSigningKey(
    await readJsonFile(requireStringOption(args, 'key'), 'key file'),
    algOption,
  );
  const eventType = requireStringOption(args, 'event');
  const payload = await readJsonOption(requireStringOption(args, 'payload'), 'payload');
  const subject = await readJsonOption(requireStringOption(args, 'subject'), 'subject');
  if (!isJsonObject(payload))
    throw new HarnessError('ERR_INPUT_INVALID', '--payload must be a JSON object (the event payload)');
  if (!isJsonObject(subject)) throw new HarnessError('ERR_INPUT_INVALID', '--subject must be a JSON object');
  const iat = secondsOption(args, 'iat');
  // SSF §4.1.9: transmitters SHOULD set txn; Okta's contract does not use it, so it is only defaulted for SSF.
  const txn = stringOption(args, 'txn') ?? (profile === 'okta' ? undefined : randomIds());
  const jti = stringOption(args, 'jti');
  const claims = buildEventSet(
    {
      iss: stringOption(args, 'iss') ?? 'https://transmitter.ssf-lab.test',
      aud: stringOption(args, 'aud') ?? 'https://receiver.ssf-lab.test',
      eventType,
      payload,
      subject,
      // Okta reads the subject inside the event; SSF 1.0 puts it in the top-level sub_id.
      placement: profile === 'okta' ? 'in-event' : 'sub_id',
      ...(txn === undefined ? {} : { txn }),
      ...(jti === undefined ? {} : { jti }),
      ...(iat === undefined ? {} : { iat: Math.floor(iat) }),
    },
    io.clock ? { clock: io.clock } : {},
  );
  const token = await signSet(claims, key);
  const { findings } = lintSet(token, { profile, ...(io.clock ? { clock: io.clock } : {}) });
  if (hasFailures(findings) && !flag(args, 'allow-invalid')) {
    io.stderr(
      `the SET would not pass the ${profile} profile; not printed (use --allow-invalid to print it anyway):\n`,
    );
    io.stderr(renderFindings(findings, io.color));
    return EXIT.failures;
  }
  if (findings.length > 0) io.stderr(renderFindings(findings, io.color));
  io.stdout(`${token}\n`);
  return EXIT.ok;
}

export async function setCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...tail] = rest;
  switch (sub) {
    case 'decode':
      return decode(tail, io);
    case 'lint':
      return judge('lint', tail, io);
    case 'verify':
      return judge('verify', tail, io);
    case 'sign':
      return sign(tail, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      // Without a subcommand the usage is an error message: it goes to stderr, like the top-level help.
      if (sub === undefined) {
        io.stderr(SET_HELP);
        return EXIT.usage;
      }
      io.stdout(SET_HELP);
      return EXIT.ok;
    default:
      throw new HarnessError('ERR_USAGE', `unknown command "set ${sub}"; use decode, lint, verify or sign`);
  }
}
