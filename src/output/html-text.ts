import { printable } from '../core/format.js';

/**
 * Text for HTML content and attribute values: the five characters HTML gives a meaning escaped,
 * and, first, every character that acts instead of showing (controls, line separators, bidi
 * overrides that could reorder a key on screen) written as a visible \uXXXX, as the terminal
 * output does. The exact key is in the JSON records.
 */
export function htmlText(s: string): string {
  return printable(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
