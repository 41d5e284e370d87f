import type { S3Client } from '@aws-sdk/client-s3';
import { requestHandlerFor, type AwsConfig } from '../transport/clients.js';
import { sdk } from '../transport/sdk.js';

/**
 * The S3 client of the encrypt engine: ONE attempt per request (the engine retries with its own
 * backoff and adaptive concurrency, which must see every throttle), the same limits as every
 * client (request-limits.ts: a hung socket must not hold a worker forever, and a copy may stay
 * silent while the store works), the run's interrupt, and the same S3-compatible-store settings
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
    requestHandler: requestHandlerFor(config),
  });
}
