import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { BucketEncryption } from '../../../core/encryption/bucket-default.js';
import { UsageError } from '../../../core/errors.js';
import type { BucketEncryptionStore, BucketInfo } from '../../../core/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call, errorName, httpStatus, mapAwsError } from '../transport/errors.js';
import { bucketRegionVia } from '../objects/lean-head.js';
import { leanSender } from '../transport/lean-send.js';
import { sdk } from '../transport/sdk.js';

export function bucketInfo(aws: AwsClients): BucketInfo {
  const cache = new Map<string, Promise<string>>();
  return {
    bucketRegion(bucket) {
      let p = cache.get(bucket);
      if (!p) {
        // Every command starts here: answered without the SDK's first-command set-up (start-up
        // time, bench/verify/startup.mjs)
        // when the bucket is where the client looks for it.
        const quick = bucketRegionVia(leanSender(aws.s3));
        p = quick(bucket, aws.config.region).then((region) => region ?? headBucketRegion(aws, bucket));
        cache.set(bucket, p);
      }
      return p;
    },
  };
}

async function headBucketRegion(aws: AwsClients, bucket: string): Promise<string> {
  const ctx = { action: 's3:ListBucket', bucket, region: aws.config.region, endpoint: aws.config.endpoint };
  try {
    const out = await aws.s3.send(new sdk.s3.HeadBucketCommand({ Bucket: bucket }));
    // S3-compatible stores often omit the header; then the configured region is the answer.
    return out.BucketRegion ?? aws.config.region;
  } catch (err) {
    // A 301 (or 400 from a region mismatch) still names the right region in a header.
    const header = (err as { $response?: { headers?: Record<string, string | undefined> } }).$response
      ?.headers?.['x-amz-bucket-region'];
    if (header && (httpStatus(err) === 301 || httpStatus(err) === 400)) return header;
    if (httpStatus(err) === 404 || errorName(err) === 'NotFound' || errorName(err) === 'NoSuchBucket') {
      throw new UsageError(
        `bucket ${bucket} does not exist`,
        'check --bucket (and --endpoint-url, --profile)',
        'NoSuchBucket',
        { cause: err },
      );
    }
    if (httpStatus(err) === 403) throw await explainForbidden(aws, bucket, err);
    throw mapAwsError(err, ctx);
  }
}

/**
 * HEAD answers carry no error body, so a 403 cannot tell bad credentials from a missing
 * permission. A one-key listing can: its error names the cause.
 */
async function explainForbidden(aws: AwsClients, bucket: string, headErr: unknown) {
  const ctx = { action: 's3:ListBucket', bucket, region: aws.config.region, endpoint: aws.config.endpoint };
  try {
    await aws.s3.send(new sdk.s3.ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  } catch (err) {
    return mapAwsError(err, ctx);
  }
  return mapAwsError(headErr, ctx);
}

export function bucketEncryptionStore(aws: AwsClients): BucketEncryptionStore {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  return {
    async getEncryption(bucket) {
      try {
        const out = await aws.s3.send(new sdk.s3.GetBucketEncryptionCommand({ Bucket: bucket }));
        const cfg = out.ServerSideEncryptionConfiguration;
        return cfg ? (JSON.parse(JSON.stringify(cfg)) as BucketEncryption) : undefined;
      } catch (err) {
        if (errorName(err) === 'ServerSideEncryptionConfigurationNotFoundError') return undefined;
        throw mapAwsError(err, { ...base, action: 's3:GetEncryptionConfiguration', bucket });
      }
    },
    async putEncryption(bucket, config) {
      await call({ ...base, action: 's3:PutEncryptionConfiguration', bucket }, () =>
        aws.s3.send(
          new sdk.s3.PutBucketEncryptionCommand({
            Bucket: bucket,
            ServerSideEncryptionConfiguration: config as unknown as ServerSideEncryptionConfiguration,
          }),
        ),
      );
    },
  };
}
