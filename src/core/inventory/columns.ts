import { PreconditionError } from '../errors.js';
import type { InventoryFormat } from './manifest.js';

/**
 * The inventory columns build-manifest and verify read, in the order the parsers hand them over.
 * Positions in the data files come from manifest.json `fileSchema` only: AWS states no column
 * order, and its own examples put BucketKeyStatus at different positions.
 */
export const USED_COLUMNS = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'StorageClass',
  'EncryptionStatus',
  'BucketKeyStatus',
  'IntelligentTieringAccessTier',
] as const;
export type UsedColumn = (typeof USED_COLUMNS)[number];

/** Index of each used column in the values array a parser produces. */
export const Col = Object.fromEntries(USED_COLUMNS.map((c, i) => [c, i])) as Record<UsedColumn, number>;

const REQUIRED: readonly UsedColumn[] = ['Bucket', 'Key', 'EncryptionStatus'];

/** Where the used columns sit in a data file's rows. */
export interface ColumnLayout {
  /**
   * The delivery's fileFormat (absent: CSV). CSV keys are form-URL-encoded; Parquet keys are the
   * keys as they are (AWS: "When you're using the CSV file format, the key name is URL-encoded").
   */
  format?: InventoryFormat | undefined;
  /** Fields every row must have. */
  fieldCount: number;
  /** All column names, trimmed, in file order (CSV spelling: Parquet's bucket_key_status is BucketKeyStatus). */
  names: string[];
  /**
   * For each file position, the slot in USED_COLUMNS it fills, or -1 when the column is not
   * read. Parsers copy out only the fields with a slot.
   */
  slotOfField: number[];
  /** Which used columns the inventory has. */
  has: Record<UsedColumn, boolean>;
}

/** Map columns by name from a CSV `fileSchema` ("Bucket, Key, VersionId, ..."). @internal */
export function columnsFromSchema(fileSchema: string, where: string): ColumnLayout {
  const names = fileSchema.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) {
    throw new PreconditionError(
      'InvalidInventoryManifest',
      `${where}: fileSchema "${fileSchema}" has an empty column name`,
      RECREATE,
    );
  }
  return layoutOf('CSV', names, where, 'this is not an S3 Inventory CSV schema: check --inventory and --id');
}

/**
 * A Parquet `fileSchema`: "message s3.inventory { required binary bucket (UTF8); optional int64
 * size; ... }" (AWS's example writes (UTF8) and TIMESTAMP_MILLIS; real deliveries write (STRING)
 * and TIMESTAMP(MILLIS,true), with two spaces between fields). Names are snake_case; they are
 * mapped to the CSV names (bucket_key_status -> BucketKeyStatus) so one classifier serves both. @internal
 */
export function columnsFromParquetSchema(fileSchema: string, where: string): ColumnLayout {
  const m = /^\s*message\s+\S+\s*\{([^{}]*)\}\s*$/.exec(fileSchema);
  const fields = m?.[1]
    ?.split(';')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const names: string[] = [];
  for (const f of fields ?? []) {
    const field = PARQUET_FIELD.exec(f);
    if (!field?.[1]) {
      throw new PreconditionError(
        'InvalidInventoryManifest',
        `${where}: fileSchema field "${f.slice(0, 100)}" is not a Parquet primitive field (expected e.g. "optional binary key (STRING)")`,
        RECREATE,
      );
    }
    names.push(csvColumnName(field[1]));
  }
  if (names.length === 0) {
    throw new PreconditionError(
      'InvalidInventoryManifest',
      `${where}: fileSchema "${fileSchema.slice(0, 200)}" is not a Parquet message schema ("message s3.inventory { ... }")`,
      RECREATE,
    );
  }
  return layoutOf(
    'Parquet',
    names,
    where,
    'this is not an S3 Inventory Parquet schema: check --inventory and --id',
  );
}

/** The layout for a manifest's fileFormat (already checked to be one of SUPPORTED_FORMATS). */
export function columnsForFormat(format: InventoryFormat, fileSchema: string, where: string): ColumnLayout {
  return format === 'Parquet'
    ? columnsFromParquetSchema(fileSchema, where)
    : columnsFromSchema(fileSchema, where);
}

/** "required binary key (STRING)", "optional int64 last_modified_date (TIMESTAMP(MILLIS,true))". */
const PARQUET_FIELD = /^(?:required|optional)\s+[a-z0-9_]+\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s*\(.*\))?$/i;

/** Parquet column name -> CSV column name: e_tag -> ETag, bucket_key_status -> BucketKeyStatus. @internal */
export function csvColumnName(snake: string): string {
  return snake
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** CSV column name -> Parquet column name: ETag -> e_tag, IsLatest -> is_latest. */
export function parquetColumnName(csv: string): string {
  return csv.replace(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, '_').toLowerCase();
}

const RECREATE =
  'the delivery is damaged: wait for the next one, or re-create the configuration with s3-encrypt setup-inventory';

function layoutOf(
  format: InventoryFormat,
  names: string[],
  where: string,
  notInventory: string,
): ColumnLayout {
  const slotOfField = names.map((n) => (USED_COLUMNS as readonly string[]).indexOf(n));
  const has = Object.fromEntries(USED_COLUMNS.map((c) => [c, names.includes(c)])) as Record<
    UsedColumn,
    boolean
  >;
  for (const c of USED_COLUMNS) {
    if (names.indexOf(c) !== names.lastIndexOf(c)) {
      throw new PreconditionError(
        'InvalidInventoryManifest',
        `${where}: fileSchema names column ${c} twice`,
        RECREATE,
      );
    }
  }
  const missing = REQUIRED.filter((c) => !has[c]);
  if (missing.length > 0) {
    const fix =
      missing.length === 1 && missing[0] === 'EncryptionStatus'
        ? 'the inventory configuration does not report encryption: run s3-encrypt setup-inventory (it adds EncryptionStatus and BucketKeyStatus), then wait for the next delivery'
        : notInventory;
    throw new PreconditionError(
      'InventoryColumnsMissing',
      `${where}: fileSchema has no ${missing.join(', ')} column (columns: ${names.join(', ')})`,
      fix,
    );
  }
  return { format, fieldCount: names.length, names, slotOfField, has };
}
