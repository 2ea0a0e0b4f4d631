/**
 * Command-line parsing on node:util's parseArgs, with errors turned into usage errors that name the
 * offending option instead of Node's stack traces.
 */
import { parseArgs } from 'node:util';
import { HarnessError } from '../kernel/index.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export function parseCommandArgs(
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: options as Record<string, OptionSpec>,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new HarnessError('ERR_USAGE', message);
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string option (`--deviate A --deviate B`), in the order given; none given: []. */
export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

export function requireStringOption(args: ParsedArgs, name: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value.length === 0) throw new HarnessError('ERR_USAGE', `--${name} is required`);
  return value;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** An integer option in a range (decimal digits only: `--port 0x10` or `--devices 2.5` are refused). */
export function integerOption(args: ParsedArgs, name: string, range: IntegerRange = {}): number | undefined {
  const value = stringOption(args, name);
  return value === undefined ? undefined : integerText(value, `--${name}`, range);
}

/**
 * `value` as an integer in a range, decimal digits only; else a usage error naming `label` (an option,
 * an environment variable) and quoting the value — so never use it for a secret.
 */
export function integerText(value: string, label: string, range: IntegerRange = {}): number {
  const { min, max } = range;
  const n = /^[+-]?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const what =
      min !== undefined && max !== undefined
        ? `an integer from ${min} to ${max}`
        : min !== undefined
          ? `an integer of at least ${min}`
          : max !== undefined
            ? `an integer of at most ${max}`
            : 'an integer';
    throw new HarnessError('ERR_USAGE', `${label} must be ${what}, not ${JSON.stringify(value)}`);
  }
  return n;
}
