import type { BucketPolicyStore } from '../../../core/inventory-config/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call, errorName, mapAwsError } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

export function bucketPolicyStore(aws: AwsClients): BucketPolicyStore {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  return {
    async get(bucket) {
      try {
        const out = await aws.s3.send(new sdk.s3.GetBucketPolicyCommand({ Bucket: bucket }));
        return out.Policy ?? undefined;
      } catch (err) {
        if (errorName(err) === 'NoSuchBucketPolicy') return undefined;
        throw mapAwsError(err, { ...base, action: 's3:GetBucketPolicy', bucket });
      }
    },
    async put(bucket, policyJson) {
      await call({ ...base, action: 's3:PutBucketPolicy', bucket }, () =>
        aws.s3.send(new sdk.s3.PutBucketPolicyCommand({ Bucket: bucket, Policy: policyJson })),
      );
    },
    async delete(bucket) {
      await call({ ...base, action: 's3:DeleteBucketPolicy', bucket }, () =>
        aws.s3.send(new sdk.s3.DeleteBucketPolicyCommand({ Bucket: bucket })),
      );
    },
  };
}
