import { PreconditionError } from '../errors.js';

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
  /** Fields every row must have. */
  fieldCount: number;
  /** All column names, trimmed, in file order. */
  names: string[];
  /**
   * For each file position, the slot in USED_COLUMNS it fills, or -1 when the column is not
   * read. Parsers copy out only the fields with a slot.
   */
  slotOfField: number[];
  /** Which used columns the inventory has. */
  has: Record<UsedColumn, boolean>;
}

/** Map columns by name from a CSV `fileSchema` ("Bucket, Key, VersionId, ..."). */
export function columnsFromSchema(fileSchema: string, where: string): ColumnLayout {
  const names = fileSchema.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) {
    throw new PreconditionError(
      'InvalidInventoryManifest',
      `${where}: fileSchema "${fileSchema}" has an empty column name`,
      'the delivery is damaged: wait for the next one, or re-create the configuration with s3-encrypt setup-inventory',
    );
  }
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
        'the delivery is damaged: wait for the next one, or re-create the configuration with s3-encrypt setup-inventory',
      );
    }
  }
  const missing = REQUIRED.filter((c) => !has[c]);
  if (missing.length > 0) {
    const fix =
      missing.length === 1 && missing[0] === 'EncryptionStatus'
        ? 'the inventory configuration does not report encryption: run s3-encrypt setup-inventory (it adds EncryptionStatus and BucketKeyStatus), then wait for the next delivery'
        : 'this is not an S3 Inventory CSV schema: check --inventory and --id';
    throw new PreconditionError(
      'InventoryColumnsMissing',
      `${where}: fileSchema has no ${missing.join(', ')} column (columns: ${names.join(', ')})`,
      fix,
    );
  }
  return { fieldCount: names.length, names, slotOfField, has };
}
