import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ParquetSource } from '../stream/parquet-scan.js';

/** A Parquet data file on disk (--from-dir): footer by positioned reads, then one read stream. */
export function fileParquetSource(path: string): ParquetSource {
  const read = async (start: number | 'tail', n: number): Promise<{ bytes: Uint8Array; length: number }> => {
    const fh = await open(path, 'r');
    try {
      const length = (await fh.stat()).size;
      const from = start === 'tail' ? Math.max(0, length - n) : start;
      const bytes = new Uint8Array(Math.max(0, Math.min(n, length - from)));
      let got = 0;
      while (got < bytes.length) {
        const { bytesRead } = await fh.read(bytes, got, bytes.length - got, from + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return { bytes: bytes.subarray(0, got), length };
    } finally {
      await fh.close();
    }
  };
  return {
    tail: (n) => read('tail', n),
    range: async (start, end) => (await read(start, end - start)).bytes,
    body: (signal) => Promise.resolve(createReadStream(path, { signal, highWaterMark: 1024 * 1024 })),
  };
}
