/**
 * Text from models and tools, made safe to print on a terminal. A model (or a tool a model
 * quoted) can put escape sequences in any string it writes: change the window title, draw an
 * OSC 8 link whose text hides its target, move the cursor to overwrite earlier lines, or ring
 * the bell. The trip CLI prints only text that went through here: escape sequences are removed
 * whole, then every remaining C0 and C1 control character (and DEL); `\n` and `\t` stay only
 * where they are layout (multi-line text), and elsewhere become a space.
 */
import { stripVTControlCharacters } from 'node:util';

/* eslint-disable no-control-regex -- matching control characters is what this module is for */

/**
 * Control strings that run to a terminator: OSC, DCS, SOS, PM and APC, introduced by ESC + `]`,
 * `P`, `X`, `^`, `_` or by their C1 forms, ended by BEL or ST (ESC `\` or U+009C) — or by the
 * end of the text, as a terminal would swallow it.
 */
const CONTROL_STRING = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
/** CSI sequences (ESC `[` or U+009B, parameters, intermediates, a final byte) and two-byte escapes. */
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]/g;
/** C0 controls but tab and line feed, DEL, and C1 controls. */
const CONTROL_BUT_LAYOUT = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const LAYOUT = /[\t\n]/g;
/* eslint-enable no-control-regex */

/** `text` without escape sequences or control characters; `\n` and `\t` are kept. */
export function terminalText(text: string): string {
  return stripVTControlCharacters(text.replace(CONTROL_STRING, ''))
    .replace(ESCAPE_SEQUENCE, '')
    .replace(CONTROL_BUT_LAYOUT, '');
}

/** `text` for one line of output: as `terminalText`, with tabs and line breaks as spaces. */
export function terminalLine(text: string): string {
  return terminalText(text).replace(LAYOUT, ' ');
}

/**
 * A copy of `value` (parsed JSON) with every string made safe: strings at `multiLine` paths keep
 * their line breaks and tabs, all others are one line. Paths are property names joined by `.`,
 * array indexes left out (`result.itinerary.summary`).
 */
export function terminalSafe<T>(value: T, multiLine: ReadonlySet<string> = new Set()): T {
  const clean = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return multiLine.has(path) ? terminalText(node) : terminalLine(node);
    if (Array.isArray(node)) return node.map((item) => clean(item, path));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [
          terminalLine(key),
          clean(item, path === '' ? key : `${path}.${key}`),
        ]),
      );
    }
    return node;
  };
  return clean(value, '') as T;
}
