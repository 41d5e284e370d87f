import type { ObjectStore } from '../../../core/encrypt/ports.js';
import type { AwsConfig } from '../transport/clients.js';
import { engineS3Client } from './object-client.js';
import { objectDetails } from './object-details.js';
import { objectWriter } from './object-writer.js';

/** The encrypt engine's ObjectStore on AWS S3 or an S3-compatible endpoint. */
export function encryptObjectStore(config: AwsConfig): ObjectStore {
  const s3 = engineS3Client(config);
  const where = { region: config.region, endpoint: config.endpoint };
  return { ...objectDetails(s3, where), ...objectWriter(s3, where) };
}
