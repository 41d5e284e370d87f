// plan's and audit's reading of inventory configurations: a listing whose fields S3 does not
// define is not taken at its word (moto 5.2 lists every optional field as "Field").
import {
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
  type InventoryConfiguration,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketAudit } from '../../../../src/adapters/aws/settings/bucket-audit.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const config = (fields: string[]): InventoryConfiguration => ({
  Id: 'inv',
  IsEnabled: true,
  IncludedObjectVersions: 'Current',
  Schedule: { Frequency: 'Daily' },
  OptionalFields: fields as InventoryConfiguration['OptionalFields'],
  Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::dest', Format: 'CSV' } },
});

const read = () => bucketAudit(makeClients({ region: 'us-east-1' })).inventoryConfigurations('src');

describe('bucketAudit.inventoryConfigurations', () => {
  it('takes a listing whose fields are all S3 fields as it is (no extra request)', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({
      InventoryConfigurationList: [config(['EncryptionStatus', 'BucketKeyStatus'])],
    });
    expect((await read()).map((c) => c.optionalFields)).toEqual([['EncryptionStatus', 'BucketKeyStatus']]);
    expect(s3.commandCalls(GetBucketInventoryConfigurationCommand)).toHaveLength(0);
  });

  it('reads by id a configuration whose listed fields S3 does not define', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({
      InventoryConfigurationList: [config(['Field', 'Field'])],
    });
    s3.on(GetBucketInventoryConfigurationCommand, { Bucket: 'src', Id: 'inv' }).resolves({
      InventoryConfiguration: config(['EncryptionStatus', 'BucketKeyStatus']),
    });
    expect((await read()).map((c) => c.optionalFields)).toEqual([['EncryptionStatus', 'BucketKeyStatus']]);
  });
});
