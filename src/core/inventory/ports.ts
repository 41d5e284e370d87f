import type { ColumnLayout } from './columns.js';
import type { S3Location } from '../s3-uri.js';
import type { DeliveryDate, InventoryDataFile } from './manifest.js';

/** Receives the rows of one data file, in file order. */
export interface RowVisitor {
  /**
   * One data row. `values` holds the USED_COLUMNS in order ('' for columns the inventory lacks)
   * and is reused for the next row: read it now, never keep it. `row` is the 1-based record
   * number in the file. Throwing stops the scan.
   */
  row(values: readonly string[], row: number): void;
  /** Called between chunks; a promise means "wait before parsing more" (output backpressure). */
  ready(): Promise<void> | undefined;
  /**
   * Optional: takes the rows of a batch the reader has indexed (every row simply quoted,
   * ASCII, with `fieldCount` fields) as bytes, instead of a `row()` call per row with strings.
   */
  indexed?: IndexedRowsVisitor | undefined;
}

/**
 * Rows of CSV as bytes, with each field's closing quote found (see adapters/stream/line-index.ts):
 * row r's field i ends at `ends[r * fieldCount + i]` (a batch position) and starts after the
 * previous field's `","` (or the row's opening quote). `bytes` and `ends` are reused after the
 * call: read them now.
 */
export interface IndexedRowsVisitor {
  /**
   * Takes rows [from, count) in order until one it leaves to the string path, and returns that
   * row's index (count when it took them all). The reader gives that row to row() and calls
   * again with the next: everything counted or written for the rows before is handed on first.
   */
  rows(bytes: Uint8Array, ends: Int32Array, from: number, count: number): number;
}

/** A delivery found and read: manifest.json and how to stream its data files. */
export interface OpenedDelivery {
  /** s3://bucket/key of manifest.json, or its local path. */
  manifestLocation: string;
  /**
   * The delivery folder name (YYYY-MM-DDTHH-MMZ): when S3 began scanning. Undefined for a local
   * directory not named like one; the manifest's creationTimestamp then names it.
   */
  folder: string | undefined;
  manifestText: string;
  /** MD5 (hex) of manifest.json as read. */
  manifestMd5: string;
  /** manifest.checksum's content; undefined only for a local directory that lacks it. */
  checksumText: string | undefined;
  /** Engine that reads the data files: local (GetObject/fs + gunzip) or select (S3 Select). */
  engine: 'local' | 'select';
  /**
   * Stream one data file, check its MD5 (local engine) and gzip integrity, and hand every row to
   * the visitor. Errors name the file (and row). Rejects promptly when `signal` aborts.
   */
  scan(
    file: InventoryDataFile,
    layout: ColumnLayout,
    visitor: RowVisitor,
    signal: AbortSignal,
  ): Promise<void>;
}

/** Finds a delivery: in an S3 destination (list + pick) or a local directory. */
export interface DeliveryReader {
  /** Where it looks, for messages: s3://dest/prefix/source/id/ or a directory. */
  readonly where: string;
  open(date: DeliveryDate): Promise<OpenedDelivery>;
}

/** Manifest files being written: to a temporary directory (before upload) or to --out. */
export interface ManifestWriter {
  /**
   * Check the destination and make its directories; refuses a path that cannot be written (one
   * line, exit 2). Called before anything is appended.
   */
  open(): Promise<void>;
  /**
   * Append whole ASCII lines (URL-encoded keys) to manifest `name`, from data file number `part`. Parts are joined in
   * part order, so concurrent reading still gives byte-identical manifests run after run.
   */
  append(name: string, text: string, part: number): void;
  /** append() for lines already encoded: `bytes[start, end)` is copied now, in order with append()'s text. */
  appendBytes(name: string, bytes: Uint8Array, start: number, end: number, part: number): void;
  /** Data file `part` is done: close its files (bounds open files to the files in flight). */
  endPart(part: number): Promise<void>;
  /** Resolves when buffered output has been handed to the file system (backpressure). */
  ready(): Promise<void> | undefined;
  /** Flush and close every file; returns name -> path of the finished files. */
  finish(): Promise<Map<string, string>>;
  /** Write a small whole file (summary.json) next to the manifests; returns its path. */
  writeFile(fileName: string, text: string): Promise<string>;
  /** Remove what this writer made that is not final (temporary or partial files). */
  cleanup(): Promise<void>;
}

export type { S3Location } from '../s3-uri.js';

/** Uploads of finished manifests. Batch cannot read SSE-KMS CSV manifests: always SSE-S3. */
export interface ManifestUploader {
  /** Upload a local file; returns the ETag without quotes. */
  uploadFile(path: string, to: S3Location): Promise<string>;
  /**
   * The ETag (without quotes) that uploadFile would give this file, computed without uploading:
   * for create-job --dry-run's exact requests.
   */
  etagOf(path: string): Promise<string>;
  /** Upload a small text body (summary.json); returns the ETag without quotes. */
  uploadText(text: string, to: S3Location, contentType: string): Promise<string>;
}

/** Newest LastModified of the objects under a prefix (cheap staleness hints for verify). */
export interface PrefixClock {
  newestUnder(bucket: string, prefix: string): Promise<Date | undefined>;
}

/** An S3 Inventory configuration's destination: s3://bucket/prefix, source bucket, configuration id. */
export interface InventoryLocation {
  bucket: string;
  /** Destination prefix without leading or trailing slashes; '' for none. */
  prefix: string;
  sourceBucket: string;
  id: string;
}

/** The inventory adapters a command can get from Services (AWS). */
export interface InventoryPorts {
  /** The newest (or --date) delivery in S3; `engine` select reads data files with S3 Select. */
  s3Delivery(loc: InventoryLocation, engine: 'local' | 'select'): DeliveryReader;
  uploader: ManifestUploader;
  clock: PrefixClock;
}

/** The local-disk inventory adapters: no AWS, so offline runs never load the SDK. */
export interface OfflineInventoryPorts {
  /** A delivery copied to a local directory (its manifest.json, or timestamp folders under it). */
  dirDelivery(dir: string): DeliveryReader;
  /** Files under `dir` (renamed into place by finish() unless `keep` is false), or a temporary directory. */
  manifestWriter(opts: { dir?: string | undefined; keep: boolean }): ManifestWriter;
}
