/**
 * The `ssf-lab` command: the composition root. It maps commands to their modules and every outcome to
 * an exit code — 0 clean, 1 failure-level findings, 2 usage or harness error — and never lets a stack
 * trace reach the user for bad input.
 */
import { toolVersion } from '../config/package.ts';
import { isHarnessError, terminalSafe } from '../kernel/index.ts';
import { type CliIo, EXIT } from './io.ts';

/**
 * Each command's module is loaded only when that command runs: `ssf-lab --version` or `set decode` need
 * none of the lab, the mocks or the plans, and loading them all costs a second at every start.
 */
interface Command {
  readonly help: string;
  run(rest: readonly string[], io: CliIo): Promise<number> | number;
}

/** A command whose module loads on first use: `help` and `run` name its exports. */
function lazy<M>(load: () => Promise<M>, pick: (module: M) => Command): () => Promise<Command> {
  return async () => pick(await load());
}

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  set: lazy(
    () => import('./set-command.ts'),
    (m) => ({ help: m.SET_HELP, run: m.setCommand }),
  ),
  keys: lazy(
    () => import('./keys-command.ts'),
    (m) => ({ help: m.KEYS_HELP, run: m.keysCommand }),
  ),
  checks: lazy(
    () => import('./checks-command.ts'),
    (m) => ({ help: m.CHECKS_HELP, run: m.checksCommand }),
  ),
  serve: lazy(
    () => import('./serve-command.ts'),
    (m) => ({ help: m.SERVE_HELP, run: m.serveCommand }),
  ),
  run: lazy(
    () => import('./run-command.ts'),
    (m) => ({ help: m.RUN_HELP, run: m.runCommand }),
  ),
  demo: lazy(
    () => import('./run-command.ts'),
    (m) => ({ help: m.DEMO_HELP, run: m.demoCommand }),
  ),
  certify: lazy(
    () => import('./certify-command.ts'),
    (m) => ({ help: m.CERTIFY_HELP, run: m.certifyCommand }),
  ),
  report: lazy(
    () => import('./report-command.ts'),
    (m) => ({ help: m.REPORT_HELP, run: m.reportCommand }),
  ),
  load: lazy(
    () => import('./load-command.ts'),
    (m) => ({ help: m.LOAD_HELP, run: m.loadCommand }),
  ),
};

/** A bad scenario file: the runner's ScenarioError, known by name so the runner is not loaded up front. */
function isScenarioError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ScenarioError';
}

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
  report --from SOURCE          render a running lab's record so far (or a saved record) as reports
  load                          load and latency test of a receiver's push endpoint, graded by SLOs
  help [command]                show help

Run "ssf-lab <command> --help" for a command's options.
Exit codes: 0 clean, 1 failure-level findings, 2 usage or harness error.
`;

export async function main(argv: readonly string[], given: CliIo): Promise<number> {
  // Everything printed may quote a scenario file or a system under test: no control sequence of theirs
  // reaches the terminal (kernel/terminal-text.ts).
  const io: CliIo = {
    ...given,
    stdout: (text) => given.stdout(terminalSafe(text)),
    stderr: (text) => given.stderr(terminalSafe(text)),
  };
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
      const load = COMMANDS[command] as () => Promise<Command>;
      return await (await load()).run(rest, io);
    }
    switch (command) {
      case '--version':
      case '-v':
        io.stdout(`${toolVersion()}\n`);
        return EXIT.ok;
      case 'help': {
        const topic = rest[0] ?? '';
        io.stdout(
          Object.hasOwn(COMMANDS, topic) ? (await (COMMANDS[topic] as () => Promise<Command>)()).help : HELP,
        );
        return EXIT.ok;
      }
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
    if (isHarnessError(error) || isScenarioError(error)) {
      io.stderr(`ssf-lab: ${error.message}\n`);
      return EXIT.usage;
    }
    // A bug of ours, not bad input: say so plainly, with the detail needed to report it.
    io.stderr(`ssf-lab: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.usage;
  }
}
