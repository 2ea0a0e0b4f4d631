/**
 * Text for a terminal: whatever the CLI prints may quote what a system under test or an input file said (a
 * scenario's title, a server's error description, a device name), and a terminal obeys the control
 * sequences in it — moving the cursor, clearing the screen, rewriting the window title, planting a
 * hyperlink, hiding text. So every byte printed goes through here: control characters are shown as
 * visible escapes (`\x1b`), except newline and tab, and except the colour sequences ssf-lab itself paints
 * with (SGR codes listed below), which are harmless.
 */

/** The SGR parameters ssf-lab's own output uses: reset, bold, dim and a few foreground colours. */
const OWN_SGR = new Set(['0', '1', '2', '22', '31', '32', '33', '34', '36', '39', '90']);

// C0 controls (but \t and \n), DEL and the C1 range, which some terminals also act on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /\u001b\[([0-9;]*)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function visible(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

export function terminalSafe(text: string): string {
  // Fast path: nearly everything printed has no control character at all.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see CONTROL
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) return text;
  return text.replace(CONTROL, (match: string, params: string | undefined) => {
    if (params?.split(';').every((p) => OWN_SGR.has(p))) return match;
    return params === undefined ? visible(match) : `${visible('\u001b')}${match.slice(1)}`;
  });
}
