import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ManifestRow } from '../../core/encrypt/ports.js';
import { rowFromFields } from '../../core/encrypt/sources.js';
import { UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import { decodeUtf8, utf8Checker } from '../stream/utf8.js';

const MANIFEST_FIX = 'check --manifest (a local path or s3://bucket/key of a Batch CSV or summary.json)';

/** Invalid UTF-8 in a manifest: refused, never decoded into U+FFFD (another key). */
export const manifestUtf8 = (where: string) => ({
  where,
  fix: 'save the manifest as UTF-8 (Batch manifests hold URL-encoded UTF-8 keys); nothing was changed',
  code: 'ManifestNotUtf8',
});

/**
 * Stream the rows of an S3 Batch Operations CSV manifest (`bucket,urlencodedKey[,versionId]`, no
 * header): one record in memory at a time. `open` is called lazily, so opening errors surface on
 * the first read. Field counts are checked by rowFromFields, which names the line; bytes that
 * are not UTF-8 are refused with their line and offset (csv-parse would make them U+FFFD).
 */
export async function* batchCsvRows(
  open: () => Promise<Readable>,
  where: string,
): AsyncGenerator<ManifestRow> {
  const input = await open();
  const checked = input.pipe(utf8Checker(manifestUtf8(where)));
  const parser = checked.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
      // Hand-edited manifests mix line ends; a missing record_delimiter would lock onto the first one.
      record_delimiter: ['\r\n', '\n'],
    }),
  );
  input.on('error', (err) => checked.destroy(err));
  checked.on('error', (err) => parser.destroy(err));
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield rowFromFields(rec.record, rec.info.lines, where);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot read manifest ${where}: ${e.code !== undefined && /^E[A-Z]/.test(e.code) ? fileProblem(e.code) : (e.message ?? String(err)).split('\n')[0]}`,
      MANIFEST_FIX,
      'BadManifest',
      { cause: err },
    );
  } finally {
    input.destroy();
    checked.destroy();
  }
}

/**
 * Open a local file, turning "cannot open" into the one-line usage error. Only regular files:
 * opening a FIFO waits for a writer that may never come.
 */
export async function openLocal(path: string): Promise<Readable> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot read manifest ${path}: ${fileProblem(err.code, err.message)}`,
      MANIFEST_FIX,
      'BadManifest',
      {
        cause: err,
      },
    );
  });
  if (!st.isFile())
    throw new UsageError(
      `cannot read manifest ${path}: it is ${st.isDirectory() ? 'a directory' : 'not a regular file'}`,
      MANIFEST_FIX,
      'BadManifest',
    );
  return new Promise((resolve, reject) => {
    const s = createReadStream(path);
    s.once('open', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot read manifest ${path}: ${fileProblem(err.code, err.message)}`,
          MANIFEST_FIX,
          'BadManifest',
          { cause: err },
        ),
      ),
    );
  });
}

/** A small local manifest document (summary.json), decoded strictly. */
export async function readLocalManifestText(path: string): Promise<string> {
  const s = await openLocal(path);
  const chunks: Buffer[] = [];
  try {
    for await (const c of s) chunks.push(c as Buffer);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot read manifest ${path}: ${fileProblem(e.code, e.message)}`,
      MANIFEST_FIX,
      'BadManifest',
      {
        cause: err,
      },
    );
  }
  return decodeUtf8(Buffer.concat(chunks), manifestUtf8(path));
}

/** Whether a local manifest path names anything (encrypt decides where its state file goes by it). */
export function localManifestExists(path: string): boolean {
  return existsSync(path);
}
