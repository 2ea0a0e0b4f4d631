/**
 * The `ssf-lab` command: the composition root. It maps commands to their modules and every outcome to
 * an exit code — 0 clean, 1 failure-level findings, 2 usage or harness error — and never lets a stack
 * trace reach the user for bad input.
 */
import { toolVersion } from '../config/package.ts';
import { isHarnessError } from '../protocol/index.ts';
import { ScenarioError } from '../runner/index.ts';
import { CERTIFY_HELP, certifyCommand } from './certify-command.ts';
import { CHECKS_HELP, checksCommand } from './checks-command.ts';
import { type CliIo, EXIT } from './io.ts';
import { KEYS_HELP, keysCommand } from './keys-command.ts';
import { DEMO_HELP, demoCommand, RUN_HELP, runCommand } from './run-command.ts';
import { SERVE_HELP, serveCommand } from './serve-command.ts';
import { SET_HELP, setCommand } from './set-command.ts';

const HELP = `ssf-lab — conformance harness and offline lab for the OpenID Shared Signals Framework

Usage: ssf-lab <command> [options]

Commands:
  set decode|lint|verify|sign   inspect, judge and produce Security Event Tokens
  keys generate|jwks            make a signing key and publish its JWKS
  checks                        list every check, the requirement it cites and its level
  demo                          the seed's flow offline, narrated, with an HTML report
  run FILE...                   run scenarios in a fresh lab each, narrated, with reports
  serve                         run the lab on 127.0.0.1 and print its manifest (URLs, credentials)
  certify                       run the conformance plans against the lab or a target file, with reports
  help [command]                show help

Run "ssf-lab <command> --help" for a command's options.
Exit codes: 0 clean, 1 failure-level findings, 2 usage or harness error.
`;

const COMMAND_HELP: Readonly<Record<string, string>> = {
  set: SET_HELP,
  keys: KEYS_HELP,
  checks: CHECKS_HELP,
  serve: SERVE_HELP,
  run: RUN_HELP,
  demo: DEMO_HELP,
  certify: CERTIFY_HELP,
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'set':
        return await setCommand(rest, io);
      case 'keys':
        return await keysCommand(rest, io);
      case 'checks':
        return checksCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'run':
        return await runCommand(rest, io);
      case 'demo':
        return await demoCommand(rest, io);
      case 'certify':
        return await certifyCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${toolVersion()}\n`);
        return EXIT.ok;
      case 'help':
        io.stdout(
          (Object.hasOwn(COMMAND_HELP, rest[0] ?? '') ? COMMAND_HELP[rest[0] ?? ''] : undefined) ?? HELP,
        );
        return EXIT.ok;
      case '--help':
      case '-h':
        io.stdout(HELP);
        return EXIT.ok;
      case undefined:
        io.stderr(HELP);
        return EXIT.usage;
      default:
        io.stderr(`ssf-lab: unknown command "${command}"\n\n${HELP}`);
        return EXIT.usage;
    }
  } catch (error) {
    if (isHarnessError(error) || error instanceof ScenarioError) {
      io.stderr(`ssf-lab: ${error.message}\n`);
      return EXIT.usage;
    }
    // A bug of ours, not bad input: say so plainly, with the detail needed to report it.
    io.stderr(`ssf-lab: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.usage;
  }
}
