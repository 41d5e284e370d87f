import { cleanPrefix, parseS3Uri } from '../s3-uri.js';
import type { InventoryLocation } from './ports.js';

/** --inventory s3://bucket[/prefix] -> destination bucket and prefix (no leading or trailing slashes). */
export function parseInventoryUrl(url: string, flag: string): { bucket: string; prefix: string } {
  const loc = parseS3Uri(url, flag);
  return { bucket: loc.bucket, prefix: cleanPrefix(loc.key) };
}

/** prefix/source-bucket/config-id: where S3 writes the deliveries of one configuration. */
export function configPrefix(loc: InventoryLocation): string {
  return [loc.prefix, loc.sourceBucket, loc.id].filter((p) => p !== '').join('/');
}

/** Default home of build-manifest output: next to the deliveries, one folder per delivery. */
export function defaultManifestPrefix(loc: InventoryLocation, folder: string): string {
  return `${configPrefix(loc)}/s3-encrypt/${folder}`;
}

/** S3 Inventory configuration ids: 1-64 letters, digits, '.', '-', '_'. */
export const INVENTORY_ID = /^[A-Za-z0-9._-]{1,64}$/;
