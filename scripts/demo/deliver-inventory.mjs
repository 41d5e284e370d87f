// Plays S3's part in the demo: writes an inventory delivery, in S3's exact format, of the demo
// bucket as it is now (ListObjectVersions + HeadObject), into the destination that
// setup-inventory configured. No local server delivers inventories; on AWS this arrives within 48 h.
// The writer is the test helper test/int/support/inventory-delivery.ts, compiled by demo.sh.
import { S3Client } from '@aws-sdk/client-s3';
import {
  putDelivery,
  recordsFromBucket,
  renderDelivery,
} from '../../.local/demo-build/inventory-delivery.js';

const [endpoint, source, destination, prefix, id] = process.argv.slice(2);
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
const records = await recordsFromBucket(s3, source);
const delivery = renderDelivery(records, {
  sourceBucket: source,
  destinationBucket: destination,
  prefix,
  id,
  files: 3,
});
await putDelivery(s3, destination, delivery);
console.log(
  `delivered ${records.length} rows in ${delivery.dataKeys.length} data files: s3://${destination}/${delivery.manifestKey}`,
);
