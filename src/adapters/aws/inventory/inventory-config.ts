import type { InventoryConfiguration } from '@aws-sdk/client-s3';
import { PreconditionError } from '../../../core/errors.js';
import type { InventoryConfig } from '../../../core/inventory-config/inventory-config.js';
import type { InventoryConfigStore } from '../../../core/inventory-config/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { errorName, httpStatus, mapAwsError } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

export function inventoryConfigStore(aws: AwsClients): InventoryConfigStore {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  const unsupported = (bucket: string, cause?: unknown): PreconditionError =>
    new PreconditionError(
      'InventoryUnsupported',
      `the store at ${aws.config.endpoint ?? 'this endpoint'} has no S3 Inventory (bucket ${bucket})`,
      "S3 Inventory is an AWS feature: on this store use 'verify --live' and 's3-encrypt encrypt'",
      { cause },
    );
  return {
    async get(bucket, id) {
      try {
        const out = await aws.s3.send(
          new sdk.s3.GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id }),
        );
        const cfg = out.InventoryConfiguration;
        // Ceph RGW answers this request with a bucket listing (200): an answer without our Id is
        // no inventory API at all, not an empty configuration.
        if (!cfg?.Id) throw unsupported(bucket);
        return JSON.parse(JSON.stringify(cfg)) as InventoryConfig;
      } catch (err) {
        if (err instanceof PreconditionError) throw err;
        const name = errorName(err);
        if (
          name === 'NoSuchConfiguration' ||
          name === 'NoSuchInventoryConfig' ||
          (httpStatus(err) === 404 && name !== 'NoSuchBucket')
        )
          return undefined;
        if (aws.config.endpoint && (name === 'NotImplemented' || name === 'MethodNotAllowed'))
          throw unsupported(bucket, err);
        throw mapAwsError(err, { ...base, action: 's3:GetInventoryConfiguration', bucket });
      }
    },
    async put(bucket, config) {
      try {
        await aws.s3.send(
          new sdk.s3.PutBucketInventoryConfigurationCommand({
            Bucket: bucket,
            Id: config.Id,
            InventoryConfiguration: config as unknown as InventoryConfiguration,
          }),
        );
      } catch (err) {
        const name = errorName(err);
        if (
          aws.config.endpoint &&
          ['NotImplemented', 'MethodNotAllowed', 'InvalidArgument'].includes(name ?? '')
        )
          throw unsupported(bucket, err);
        throw mapAwsError(err, { ...base, action: 's3:PutInventoryConfiguration', bucket });
      }
    },
  };
}
