/**
 * `ssf-lab keys generate|jwks`: make a signing key for `set sign` and publish its public half.
 */
import { writeFile } from 'node:fs/promises';
import { flag, parseCommandArgs, stringOption } from '../config/argv.ts';
import { readJsonFile } from '../config/inputs.ts';
import { HarnessError } from '../kernel/index.ts';
import { generateSigningKey, importSigningKey, isSigningAlgorithm, publicJwks } from '../protocol/index.ts';
import { type CliIo, EXIT } from './io.ts';
import { renderJson } from './render.ts';

export const KEYS_HELP = `Usage:
  ssf-lab keys generate [--alg RS256|PS256|ES256|EdDSA] [--kid KID] [--out FILE]
  ssf-lab keys jwks FILE

  generate   make a signing key pair. With --out, the private JWK is written to FILE (mode 600) and the
             public JWKS is printed; without it, the private JWK is printed (keep it secret).
  jwks       print the public JWKS for a private JWK file, ready to host at your jwks_uri.
`;

export async function keysCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...tail] = rest;
  if (sub === 'generate') {
    const args = parseCommandArgs(tail, {
      alg: { type: 'string' },
      kid: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (flag(args, 'help')) {
      io.stdout(KEYS_HELP);
      return EXIT.ok;
    }
    const alg = stringOption(args, 'alg') ?? 'RS256';
    if (!isSigningAlgorithm(alg))
      throw new HarnessError('ERR_USAGE', `--alg ${alg} is not one of RS256, PS256, ES256, EdDSA`);
    const kid = stringOption(args, 'kid');
    const { key, privateJwk } = await generateSigningKey(alg, kid === undefined ? {} : { kid });
    const out = stringOption(args, 'out');
    if (out === undefined) {
      io.stderr('this is a PRIVATE key: store it safely; publish only the output of "ssf-lab keys jwks"\n');
      io.stdout(renderJson(privateJwk));
      return EXIT.ok;
    }
    try {
      await writeFile(out, renderJson(privateJwk), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new HarnessError(
        'ERR_INPUT_UNREADABLE',
        code === 'EEXIST'
          ? `"${out}" exists; not overwriting a key`
          : `cannot write "${out}": ${(error as Error).message}`,
      );
    }
    io.stderr(`private key written to ${out}; its public JWKS follows\n`);
    io.stdout(renderJson(publicJwks(key)));
    return EXIT.ok;
  }
  if (sub === 'jwks') {
    const args = parseCommandArgs(tail, { help: { type: 'boolean', short: 'h' } });
    if (flag(args, 'help')) {
      io.stdout(KEYS_HELP);
      return EXIT.ok;
    }
    const file = args.positionals[0];
    if (file === undefined || args.positionals.length > 1)
      throw new HarnessError('ERR_USAGE', 'keys jwks takes one private JWK FILE');
    const key = await importSigningKey(await readJsonFile(file, 'key file'));
    io.stdout(renderJson(publicJwks(key)));
    return EXIT.ok;
  }
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    // Without a subcommand the usage is an error message: it goes to stderr, like the top-level help.
    if (sub === undefined) {
      io.stderr(KEYS_HELP);
      return EXIT.usage;
    }
    io.stdout(KEYS_HELP);
    return EXIT.ok;
  }
  throw new HarnessError('ERR_USAGE', `unknown command "keys ${sub}"; use generate or jwks`);
}
