import { describe, expect, it } from 'vitest';
import { hasControlCharacter, printable, quoted } from '../../src/core/format.js';
import { Output } from '../../src/output/output.js';

// C0 controls, DEL and C1 controls (the newline allowed only where a writer puts it itself).
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('printable / quoted', () => {
  it.each([
    ['ESC sequence', '\u001b[2J\u001b[31mred', '\\u001b[2J\\u001b[31mred'],
    ['newline and tab', 'a\nb\tc', 'a\\u000ab\\u0009c'],
    ['\\x01 and DEL', 'a\u0001b\u007f', 'a\\u0001b\\u007f'],
    ['C1 CSI', 'x\u009b31m', 'x\\u009b31m'],
    ['bidi override', 'abc\u202edef', 'abc\\u202edef'],
    ['plain text and non-ASCII letters', 'logs/2024/é ü 日本', 'logs/2024/é ü 日本'],
  ])('%s', (_n, input, expected) => {
    expect(printable(input)).toBe(expected);
    expect(printable(input)).not.toMatch(RAW);
    expect(quoted(input)).not.toMatch(RAW);
  });

  it('quoted is JSON-quoted text with the same guarantees', () => {
    expect(quoted('a"b')).toBe('"a\\"b"');
    expect(quoted('a\nb')).toBe('"a\\nb"');
    expect(quoted('x\u009by')).toBe('"x\\u009by"');
  });

  it('hasControlCharacter: C0, DEL, C1 yes; printable text no', () => {
    for (const s of ['\n', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u009f'])
      expect(hasControlCharacter(`a${s}`)).toBe(true);
    for (const s of ['', 'logs/', 'é', '日本', ' ', '\u00a0']) expect(hasControlCharacter(s)).toBe(false);
  });
});

describe('Output never writes a raw control character in errors, warnings and debug lines', () => {
  function sink() {
    const chunks: string[] = [];
    return { chunks, write: (c: string) => chunks.push(c), isTTY: false };
  }

  it("escapes them, keeping the writer's own line breaks", () => {
    const stdout = sink();
    const stderr = sink();
    const out = new Output(stdout, stderr, { json: false, color: false, verbose: true });
    out.error('invalid --prefix \u001b[2Jx\nforged');
    out.warn('two lines:\nsecond \u001b[31mred');
    out.debug('cause: \u009b2J');
    const text = stderr.chunks.join('');
    expect(text).toBe(
      'error: invalid --prefix \\u001b[2Jx\\u000aforged\nwarning: two lines:\nsecond \\u001b[31mred\ndebug: cause: \\u009b2J\n',
    );
  });
});
