import { SUPPORTED_FORMATS } from '../inventory/manifest.js';
import { pass, warn, type Check } from './check.js';
import type { InventoryConfigInfo } from './ports.js';

const NEEDED = ['EncryptionStatus', 'BucketKeyStatus'];

const readable = (format: string): boolean => (SUPPORTED_FORMATS as readonly string[]).includes(format);

/** An inventory configuration build-manifest can read: enabled, CSV or Parquet, with the encryption fields. */
export function usableInventory(configs: InventoryConfigInfo[]): InventoryConfigInfo | undefined {
  // A configuration filtered by prefix lists part of the bucket: it cannot count the whole.
  const ok = configs.filter(
    (c) =>
      c.enabled && !c.filterPrefix && readable(c.format) && NEEDED.every((f) => c.optionalFields.includes(f)),
  );
  // All versions is preferred: it is the only way to see old unencrypted versions. Then CSV:
  // --engine select reads CSV only.
  const rank = (c: InventoryConfigInfo): number =>
    (c.includedVersions === 'All' ? 0 : 2) + (c.format === 'CSV' ? 0 : 1);
  return [...ok].sort((a, b) => rank(a) - rank(b))[0];
}

export function destinationUri(c: InventoryConfigInfo): string {
  const bucket = c.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '');
  return `s3://${bucket}/${c.destinationPrefix ?? ''}`;
}

export function inventoryConfigCheck(configs: InventoryConfigInfo[], setupInventory: string): Check {
  const id = 'inventory-config';
  const title = 'S3 Inventory';
  const usable = usableInventory(configs);
  if (usable)
    return pass(
      id,
      title,
      `configuration ${usable.id} delivers ${usable.frequency ?? ''} ${usable.format} with EncryptionStatus and BucketKeyStatus (${usable.includedVersions} versions) to ${destinationUri(usable)}`.replace(
        /\s+/g,
        ' ',
      ),
      'build-manifest reads its latest delivery',
    );
  if (configs.length === 0)
    return warn(
      id,
      title,
      'no inventory configuration',
      `run: ${setupInventory} (the first report takes up to 48 hours)`,
    );
  const why = configs
    .map((c) => {
      const missing = NEEDED.filter((f) => !c.optionalFields.includes(f));
      const problems = [
        ...(c.enabled ? [] : ['disabled']),
        ...(c.filterPrefix ? [`only keys under ${JSON.stringify(c.filterPrefix)}`] : []),
        ...(readable(c.format) ? [] : [c.format]),
        ...(missing.length ? [`no ${missing.join(', ')}`] : []),
      ];
      return `${c.id} (${problems.join(', ')})`;
    })
    .join('; ');
  return warn(
    id,
    title,
    `no usable configuration: ${why}`,
    `run: ${setupInventory} (CSV with EncryptionStatus and BucketKeyStatus; the first report takes up to 48 hours)`,
  );
}
