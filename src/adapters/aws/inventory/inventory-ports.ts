import type { InventoryPorts } from '../../../core/inventory/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { prefixClock, s3DeliveryReader } from './inventory-reader.js';
import { manifestUploader } from './inventory-upload.js';

/** What build-manifest, verify --inventory and plan read and write in S3 (local files: src/local-deps.ts). */
export function inventoryPorts(aws: AwsClients): InventoryPorts {
  return {
    s3Delivery: (loc, engine) => s3DeliveryReader(aws, loc, engine),
    uploader: manifestUploader(aws),
    clock: prefixClock(aws),
  };
}
