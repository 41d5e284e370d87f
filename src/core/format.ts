/** Figures as people read them; shared by core messages and src/output renderings. */

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

export function formatCount(n: number): string {
  // Integers without Intl: its first use is a start-up cost every command would pay (bench/verify/startup.mjs).
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  return n.toLocaleString('en-US');
}

/**
 * Characters that act on a terminal instead of showing: C0 controls (newline, ESC...), DEL, C1
 * controls (U+009B is a one-byte CSI on some terminals), line/paragraph separators, and the bidi
 * overrides and isolates that reorder what is shown around them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `s` with every terminal-active character written as a visible \uXXXX escape; the rest kept as is. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A URL as a message may show it: a user name or password before the host (`//user:pw@`) is
 * replaced by `***`, also in text that does not parse as a URL, since a mistyped one may still
 * carry a real password.
 */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([^/?#]*\/\/)[^/?#]*@/, '$1***@');
}

/** A user's value or an object key, quoted for a message: "..." with JSON escapes plus `printable`. */
export function quoted(s: string): string {
  return printable(JSON.stringify(s));
}

/**
 * One argument of a printed command, as a POSIX shell reads it: as is when it holds only
 * characters no shell treats specially, else in single quotes. Printed commands are meant to be
 * pasted, and a bucket, profile, prefix or path may hold spaces, `$` or quotes.
 */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** True when `s` holds a C0/C1 control character or DEL (never typed on purpose in a flag value). */
export function hasControlCharacter(s: string): boolean {
  return CONTROL.test(s);
}
