// Inventory ports for in-process command tests: the local (--from-dir / --out) adapters are the
// real ones (they touch only temp directories); the S3 parts are left unfaked, so a test that
// reaches S3 by mistake fails loudly. The S3 path is covered by test/adapters (aws-sdk-client-mock)
// and test/int/inventory (moto).
import type { InventoryPorts } from '../../src/core/inventory/ports.js';

function notFaked(port: string): never {
  throw new Error(
    `inventory.${port} is not faked in this test: use --from-dir/--out, or an integration test`,
  );
}

export function localInventoryPorts(): { inventory: InventoryPorts } {
  return {
    inventory: {
      s3Delivery: () => notFaked('s3Delivery'),
      uploader: {
        uploadFile: () => notFaked('uploader'),
        etagOf: () => notFaked('uploader'),
        uploadText: () => notFaked('uploader'),
      },
      clock: { newestUnder: () => notFaked('clock') },
    },
  };
}
