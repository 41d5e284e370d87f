// Strict UTF-8 for user files: bad bytes are refused with line and offset, never turned into
// U+FFFD (which names another key); valid text passes byte for byte, however it is chunked.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidByte, utf8Checker } from '../../../src/adapters/stream/utf8.js';

const use = { where: 'm.csv', fix: 'save it as UTF-8', code: 'NotUtf8' };

async function through(chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(utf8Checker(use))) out.push(c as Buffer);
  return Buffer.concat(out);
}

describe('firstInvalidByte', () => {
  it.each([
    ['ascii', Buffer.from('abc\n'), -1],
    ['two, three and four byte characters', Buffer.from('ü€😀'), -1],
    ['\\xff\\xfe\\x80', Buffer.from([0x61, 0xff, 0xfe, 0x80]), 1],
    ['a lone continuation byte', Buffer.from([0x61, 0x80]), 1],
    ['an overlong "/"', Buffer.from([0xc0, 0xaf]), 0],
    ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80]), 0],
    ['above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a character cut short', Buffer.from([0x61, 0xe2, 0x82]), 1],
  ])('%s', (_n, bytes, at) => {
    expect(firstInvalidByte(bytes)).toBe(at);
  });
});

describe('utf8Checker', () => {
  it('passes valid text through unchanged, multi-byte characters split across chunks included', async () => {
    const text = Buffer.from('b,k%C3%BC\nb,ü€😀\nb,plain\n');
    for (let cut = 1; cut < text.length; cut++) {
      expect(await through([text.subarray(0, cut), text.subarray(cut)])).toEqual(text);
    }
    const bytes = [...text].map((b) => Buffer.from([b]));
    expect(await through(bytes)).toEqual(text);
  });

  it('names the line, the byte in it and the file offset of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('b,a\nb,'),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from('.txt\n'),
    ]);
    for (let cut = 1; cut < bytes.length; cut++)
      await expect(through([bytes.subarray(0, cut), bytes.subarray(cut)])).rejects.toThrow(
        'm.csv line 2 (byte 3 of the line, offset 6 in the file) is not valid UTF-8: it has byte 0xff',
      );
  });

  it('refuses a character cut short by the end of the file', async () => {
    await expect(through([Buffer.from('ok\nb,'), Buffer.from([0xe2, 0x82])])).rejects.toThrow(
      'm.csv line 2 (byte 3 of the line, offset 5 in the file) is not valid UTF-8: it ends inside a character',
    );
    await expect(through([Buffer.from([0x61, 0xff])])).rejects.toThrow(/line 1 .* it has byte 0xff/);
  });
});

describe('decodeUtf8', () => {
  it('decodes valid text (dropping a BOM) and refuses bad bytes with where they are', () => {
    expect(decodeUtf8(Buffer.from('\ufeff{"a":"ü"}'), use)).toBe('{"a":"ü"}');
    expect(() => decodeUtf8(Buffer.from([0x7b, 0x0a, 0x22, 0xc3, 0x28]), use)).toThrow(
      'm.csv line 2 (byte 2 of the line, offset 3 in the file) is not valid UTF-8: it has byte 0xc3',
    );
  });
});
