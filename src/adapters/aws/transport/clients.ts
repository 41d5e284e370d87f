import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { SDK_ATTEMPTS } from '../../../core/failure.js';
import { reportFailedAttempts } from './failed-attempts.js';
import { boundedHttpHandler } from './http-handler.js';
import { localhostLookup } from './localhost-lookup.js';
import { DEFAULT_LIMITS, type RequestLimits } from './request-limits.js';
import { retryByFailureClass } from './retry-strategy.js';
import { sdk } from './sdk.js';

/** Everything the SDK clients need; credentials come from the default chain (AWS_*, profiles, SSO, IMDS). */
export interface AwsConfig {
  region: string;
  profile?: string | undefined;
  /** S3-compatible endpoint (Ceph RGW, moto, MinIO); also used for KMS and STS when set. */
  endpoint?: string | undefined;
  maxAttempts?: number | undefined;
  /** Connect, answer and silence limits of every request (request-limits.ts). */
  limits?: RequestLimits | undefined;
  /** The run's interrupt: aborts every request in flight, of every client built from this config. */
  signal?: AbortSignal | undefined;
  /** Credentials other than the chain's (audit's assumed roles); `profile` is then unused. */
  credentials?: AwsCredentialIdentityProvider | undefined;
}

/** One request handler per client (its own keep-alive pool), bounded by the config's limits and signal. */
export function requestHandlerFor(config: AwsConfig, agent?: Parameters<typeof boundedHttpHandler>[1]) {
  return boundedHttpHandler({ limits: config.limits ?? DEFAULT_LIMITS, signal: config.signal }, agent);
}

export interface AwsClients {
  readonly config: AwsConfig;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  /** S3 Control lives per region: Batch jobs must be created in the bucket's region. */
  s3control(region: string): S3ControlClient;
}

export function makeClients(config: AwsConfig): AwsClients {
  const common = {
    region: config.region,
    maxAttempts: config.maxAttempts ?? SDK_ATTEMPTS,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  let s3: S3Client | undefined;
  let kms: KMSClient | undefined;
  let sts: STSClient | undefined;
  const control = new Map<string, S3ControlClient>();
  return {
    config,
    get s3() {
      // Every client retries what core/failure.ts retries (retry-strategy.ts); a request may ask
      // to hear of each failed attempt (failed-attempts.ts: verify --live's limiter).
      s3 ??= retryByFailureClass(
        reportFailedAttempts(
          new sdk.s3.S3Client({
            ...common,
            requestHandler: requestHandlerFor(config),
            // verify --live sends one HeadObject per object: resolving the middleware stack once per
            // command class instead of per request saves CPU on each (bench/verify/RESULTS.md). Safe
            // while no command sent through this client adds its own middleware (the encrypt
            // engine, which does, has its own client in object-client.ts).
            cacheMiddleware: true,
            // Custom endpoints are path-style stores; the SDK's default CRC32 trailers break older
            // S3-compatible servers (Ceph RGW 16), so checksums are sent only where S3 requires them.
            ...(config.endpoint
              ? {
                  forcePathStyle: true,
                  requestChecksumCalculation: 'WHEN_REQUIRED',
                  responseChecksumValidation: 'WHEN_REQUIRED',
                }
              : {}),
          }),
        ),
      );
      return s3;
    },
    get kms() {
      kms ??= retryByFailureClass(
        new sdk.kms.KMSClient({ ...common, requestHandler: requestHandlerFor(config) }),
      );
      return kms;
    },
    get sts() {
      sts ??= retryByFailureClass(
        new sdk.sts.STSClient({ ...common, requestHandler: requestHandlerFor(config) }),
      );
      return sts;
    },
    s3control(region: string) {
      let c = control.get(region);
      if (!c) {
        // No --endpoint-url here: that is the S3 store's, and S3-compatible stores have no S3
        // Control. S3 Control's own endpoint comes from the SDK's service-specific settings
        // (AWS_ENDPOINT_URL_S3_CONTROL, a profile's `services` section; batch-jobs.ts checks one
        // is set before any job request when --endpoint-url is). The SDK's endpoint rules put the
        // account id in front of such a host, so `localhost` names resolve to loopback here.
        c = retryByFailureClass(
          new sdk.s3control.S3ControlClient({
            region,
            maxAttempts: common.maxAttempts,
            ...(config.profile ? { profile: config.profile } : {}),
            ...(config.credentials ? { credentials: config.credentials } : {}),
            requestHandler: requestHandlerFor(config, { lookup: localhostLookup }),
          }),
        );
        control.set(region, c);
      }
      return c;
    },
  };
}
