import type { InventoryPorts } from '../../core/inventory/ports.js';
import { localDeliveryReader } from '../fs/manifest-from-dir.js';
import { manifestWriter } from '../fs/manifest-writer.js';
import type { AwsClients } from './clients.js';
import { prefixClock, s3DeliveryReader } from './inventory-reader.js';
import { manifestUploader } from './inventory-upload.js';

/** Everything build-manifest, verify --inventory and plan read and write. Local parts need no AWS. */
export function inventoryPorts(aws: AwsClients): InventoryPorts {
  return {
    s3Delivery: (loc, engine) => s3DeliveryReader(aws, loc, engine),
    localDelivery: (dir) => localDeliveryReader(dir),
    manifestWriter: (opts) => manifestWriter(opts),
    uploader: manifestUploader(aws),
    clock: prefixClock(aws),
  };
}
