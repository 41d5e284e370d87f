import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/**
 * A local file read in parts of `partSize` bytes, for an upload: the one buffer is reused, so a
 * part must be consumed (sent) before the next is read. An empty file yields one empty part.
 */
export async function* fileParts(path: string, partSize: number): AsyncGenerator<Buffer> {
  const { size } = await stat(path);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(partSize, Math.max(size, 1)));
    for (let offset = 0, first = true; offset < size || first; offset += partSize, first = false) {
      const len = Math.min(partSize, size - offset);
      await fh.read(buf, 0, len, offset);
      yield buf.subarray(0, len);
    }
  } finally {
    await fh.close();
  }
}

/** The file's size in bytes. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/**
 * The ETag S3 gives the file uploaded in parts of `partSize` (one PUT at or below it): the MD5 of
 * its bytes, or MD5(concatenated part MD5s)-N above it (see manifestUploader for the sources).
 */
export async function uploadEtagOf(path: string, partSize: number): Promise<string> {
  const partMd5s: Buffer[] = [];
  for await (const part of fileParts(path, partSize)) partMd5s.push(createHash('md5').update(part).digest());
  if (partMd5s.length === 1) return (partMd5s[0] as Buffer).toString('hex');
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
}
