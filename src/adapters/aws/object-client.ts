import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsConfig } from './clients.js';
import { sdk } from './sdk.js';

/**
 * The S3 client of the encrypt engine: ONE attempt per request (the engine retries with its own
 * backoff and adaptive concurrency, which must see every throttle), bounded connect and idle
 * times (a hung socket would hold a worker forever), and the same S3-compatible-store settings
 * as the shared clients.
 */
export function engineS3Client(config: AwsConfig): S3Client {
  return new sdk.s3.S3Client({
    region: config.region,
    maxAttempts: 1,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.endpoint
      ? {
          endpoint: config.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    // Idle timeout, not total: S3 keeps a long server-side copy alive with whitespace.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 300_000 },
  });
}
