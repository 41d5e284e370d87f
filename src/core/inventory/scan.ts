import { pool } from '../concurrency/pool.js';
import { InterruptedError, PreconditionError, S3EncryptError } from '../errors.js';
import { Col, columnsForFormat, type ColumnLayout } from './columns.js';
import {
  checkManifestChecksum,
  folderOf,
  parseInventoryManifest,
  type DeliveryDate,
  type InventoryDataFile,
  type InventoryFormat,
  type InventoryManifest,
} from './manifest.js';
import { emptyRow, toRow, type InventoryRow } from './placement.js';
import type { DeliveryReader, IndexedRowsVisitor, OpenedDelivery, RowVisitor } from './ports.js';

/** A delivery whose manifest has been read and checked. */
export interface CheckedDelivery {
  opened: OpenedDelivery;
  manifest: InventoryManifest;
  layout: ColumnLayout;
  /** Delivery folder name, YYYY-MM-DDTHH-MMZ. */
  folder: string;
  /** Things the operator should know about this inventory's columns. */
  warnings: string[];
}

/** Find the delivery, check manifest.checksum and manifest.json, and map its columns. */
export async function openInventory(
  reader: DeliveryReader,
  date: DeliveryDate,
  bucket: string,
): Promise<CheckedDelivery> {
  const opened = await reader.open(date);
  const where = opened.manifestLocation;
  const warnings: string[] = [];
  if (opened.checksumText === undefined)
    warnings.push(`${where}: no manifest.checksum next to it, so manifest.json could not be checked`);
  else checkManifestChecksum(opened.manifestMd5, opened.checksumText, where);
  const manifest = parseInventoryManifest(opened.manifestText, where, bucket);
  // parseInventoryManifest refused every other format.
  const layout = columnsForFormat(manifest.fileFormat as InventoryFormat, manifest.fileSchema, where);
  const folder = opened.folder ?? folderOf(Number(manifest.creationTimestamp));
  if (!layout.has.Size)
    warnings.push('the inventory has no Size column: objects over 5 GiB cannot be told apart from the rest');
  if (!layout.has.BucketKeyStatus)
    warnings.push(
      'the inventory has no BucketKeyStatus column: every SSE-KMS object is treated as needing UpdateObjectEncryption (add it with setup-inventory)',
    );
  if (!layout.has.IsLatest)
    warnings.push('the inventory lists current versions only: noncurrent versions are not counted');
  return { opened, manifest, layout, folder, warnings };
}

/** The one IsLatest value that makes a row noncurrent (S3 writes false or FALSE). */
const FALSE = /^false$/i;

/**
 * The checks every row passes before it is visited: it lists `bucket`, and only "false" makes it
 * noncurrent (an empty or odd IsLatest, a Parquet null, would otherwise hide a current offender
 * among the noncurrent versions, which pass). `isLatest` is the row's IsLatest text.
 */
export function rowPasses(
  row: InventoryRow,
  isLatest: string,
  layout: ColumnLayout,
  bucket: string,
): boolean {
  return row.bucket === bucket && (row.isLatest || !layout.has.IsLatest || FALSE.test(isLatest));
}

/** A data file as the byte path of a scan sees it (see scanInventory's `indexedFor`). */
export interface IndexedFile {
  index: number;
  layout: ColumnLayout;
}

export interface ScanOptions {
  bucket: string;
  /** Data files read at once. */
  concurrency: number;
  /** The user's interrupt: stop reading, reject with InterruptedError. */
  signal?: AbortSignal | undefined;
  /** Called between chunks and after each data file with the rows (and files) read so far. */
  onProgress?: ((rows: number, files: FilesRead) => void) | undefined;
}

/** Data files of the delivery read to the end so far, out of all it lists. */
export interface FilesRead {
  done: number;
  total: number;
}

/** Where a row came from, for error messages. */
export interface RowOrigin {
  file: string;
  /** Position of the file in manifest.json files[]. */
  index: number;
  row: number;
}

/**
 * Read every data file (several at once, bounded) and hand each row to `visit`; the row object
 * is reused for the file's next row (copy what you keep). The first error
 * stops every other file; the rows visited so far must then be thrown away by the caller.
 * `ready` lets the consumer hold the parsers back while its output drains.
 */
export async function scanInventory(
  delivery: CheckedDelivery,
  opts: ScanOptions,
  visit: (row: InventoryRow, origin: RowOrigin) => void,
  ready: () => Promise<void> | undefined = () => undefined,
  fileDone: (index: number) => Promise<void> = () => Promise.resolve(),
  /**
   * Optional byte path: a visitor per data file for the rows its reader indexed (CSV with
   * simply quoted rows). A row it leaves goes to the reader's string path, and so through the
   * same checks and `visit` as any other.
   */
  indexedFor?: (file: IndexedFile) => IndexedRowsVisitor,
): Promise<void> {
  const { layout, opened } = delivery;
  const inner = new AbortController();
  const onUser = (): void => inner.abort();
  opts.signal?.addEventListener('abort', onUser, { once: true });
  if (opts.signal?.aborted) inner.abort();
  let rows = 0;
  const files: FilesRead = { done: 0, total: delivery.manifest.files.length };
  const scanFile = async ({ file, index }: { file: InventoryDataFile; index: number }): Promise<void> => {
    const origin: RowOrigin = { file: file.key, index, row: 0 };
    const row = emptyRow();
    row.plainKey = layout.format === 'Parquet';
    const visitor: RowVisitor = {
      row(values, n) {
        origin.row = n;
        toRow(values, layout.has, row);
        const isLatest = values[Col.IsLatest] ?? '';
        if (!rowPasses(row, isLatest, layout, opts.bucket)) {
          if (row.bucket !== opts.bucket)
            throw new PreconditionError(
              'ForeignInventoryRow',
              `${file.key} row ${n} lists bucket "${row.bucket}", not ${opts.bucket}`,
              'the delivery is damaged or mixes buckets: wait for the next one, or pass --date to pick an earlier one',
            );
          throw new PreconditionError(
            'InvalidInventoryRow',
            `${file.key} row ${n}: IsLatest is ${JSON.stringify(isLatest.slice(0, 40))}, neither true nor false (key "${row.encodedKey.slice(0, 200)}")`,
            'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one',
          );
        }
        try {
          visit(row, origin);
        } catch (err) {
          if (err instanceof S3EncryptError) throw err;
          throw new PreconditionError(
            'InvalidInventoryRow',
            `${file.key} row ${n}: ${(err as Error).message} (key "${row.encodedKey.slice(0, 200)}")`,
            'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one',
          );
        }
        rows++;
      },
      ready() {
        opts.onProgress?.(rows, files);
        return ready();
      },
    };
    if (indexedFor) {
      const bytes = indexedFor({ index, layout });
      visitor.indexed = {
        rows(b, ends, from, count) {
          const to = bytes.rows(b, ends, from, count);
          // The row the reader gives to row() next counts itself there.
          rows += to - from;
          return to;
        },
      };
    }
    try {
      await opened.scan(file, layout, visitor, inner.signal);
      await fileDone(index);
      files.done++;
      opts.onProgress?.(rows, files);
    } catch (err) {
      inner.abort();
      throw err;
    }
  };
  try {
    // The pool gets no signal: an abort must surface as an error, never as "all files read".
    const all = delivery.manifest.files.map((file, index) => ({ file, index }));
    for await (const _ of pool(all, opts.concurrency, scanFile)) {
      /* each file's rows went to `visit` */
    }
  } catch (err) {
    if (opts.signal?.aborted) throw new InterruptedError('interrupted while reading the inventory');
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onUser);
  }
  if (opts.signal?.aborted) throw new InterruptedError('interrupted while reading the inventory');
}
