import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ManifestRow } from '../../core/encrypt/ports.js';
import { rowFromFields } from '../../core/encrypt/sources.js';
import { UsageError } from '../../core/errors.js';

/**
 * Stream the rows of an S3 Batch Operations CSV manifest (`bucket,urlencodedKey[,versionId]`, no
 * header): one record in memory at a time. `open` is called lazily, so opening errors surface on
 * the first read. Field counts are checked by rowFromFields, which names the line.
 */
export async function* batchCsvRows(
  open: () => Promise<Readable>,
  where: string,
): AsyncGenerator<ManifestRow> {
  const input = await open();
  const parser = input.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
      // Hand-edited manifests mix line ends; a missing record_delimiter would lock onto the first one.
      record_delimiter: ['\r\n', '\n'],
    }),
  );
  input.on('error', (err) => parser.destroy(err));
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield rowFromFields(rec.record, rec.info.lines, where);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot read manifest ${where}: ${e.code === 'ENOENT' ? 'no such file' : (e.message ?? String(err)).split('\n')[0]}`,
      'check --manifest (a local path or s3://bucket/key of a Batch CSV or summary.json)',
      'BadManifest',
      { cause: err },
    );
  } finally {
    input.destroy();
  }
}

/** Open a local file, turning "cannot open" into the one-line usage error. */
export function openLocal(path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const s = createReadStream(path);
    s.once('open', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot read manifest ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message}`,
          'check --manifest (a local path or s3://bucket/key of a Batch CSV or summary.json)',
          'BadManifest',
          { cause: err },
        ),
      ),
    );
  });
}
