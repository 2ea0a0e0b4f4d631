/**
 * Terminal facts the CLI needs from the environment (the config layer is the only reader of env vars).
 */
export function colorEnabled(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}
