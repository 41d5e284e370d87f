// The same manifest asked for twice with another description, priority, role or report (say
// create-job --inventory, then --manifest with the ETag it printed): S3 Control answers
// IdempotencyException. The one line must say that the job exists, how to find it (account,
// region, the description it begins with) and how to run the objects again on purpose.
import { createHash } from 'node:crypto';
import { CreateJobCommand, IdempotencyException, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { batchJobs } from '../../../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { generatorJobRequest, manifestJobRequest } from '../../../../src/core/batch/job-request.js';
import type { S3EncryptError } from '../../../../src/core/errors.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const common = {
  accountId: '111122223333',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::111122223333:role/s3-encrypt-batch',
  priority: 10,
  report: { bucket: 'my-reports', key: 'batch' },
  keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  bucket: 'src-bucket',
};
const control = mockClient(S3ControlClient);
afterAll(() => control.restore());

async function refusal(request: Parameters<ReturnType<typeof batchJobs>['createJob']>[0]) {
  control.reset();
  control
    .on(CreateJobCommand)
    .rejects(new IdempotencyException({ $metadata: { httpStatusCode: 409 }, message: 'token reused' }));
  const jobs = batchJobs(
    makeClients({
      region: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
    }),
  );
  return (await jobs.createJob(request).catch((e: unknown) => e)) as S3EncryptError;
}

describe('IdempotencyException: the job exists; the line says how to find it and what to do', () => {
  it('a manifest job', async () => {
    const err = await refusal(
      manifestJobRequest(sha256, {
        ...common,
        group: 'copy',
        storageClass: 'STANDARD',
        manifest: {
          bucket: 'my-inv',
          key: 'inv/src-bucket/cfg/s3-encrypt/2026-05-03T00-00Z/copy-STANDARD.csv',
        },
        etag: '0123456789abcdef0123456789abcdef',
        versioned: false,
        description: 's3-encrypt copy STANDARD s3://src-bucket (copy-STANDARD.csv)',
      }),
    );
    expect(err).toMatchObject({ code: 'JobAlreadyCreated', exitCode: 3 });
    const line = err.oneLine();
    expect(line).not.toMatch(/\n/);
    expect(line).toContain(
      'a Batch job for manifest s3://my-inv/inv/src-bucket/cfg/s3-encrypt/2026-05-03T00-00Z/copy-STANDARD.csv (ETag 0123456789abcdef0123456789abcdef)',
    );
    expect(line).toContain("'aws s3control list-jobs --account-id 111122223333 --region eu-west-1'");
    expect(line).toContain('(description "s3-encrypt copy STANDARD s3://src-bucket...")');
    expect(line).toContain("'s3-encrypt status --job-id ID --region eu-west-1'");
    expect(line).toMatch(/copy the manifest to another key and pass that with --manifest$/);
  });

  it('a generated-list job', async () => {
    const err = await refusal(
      generatorJobRequest(sha256, { ...common, group: 'update-encryption', day: '2026-05-03' }),
    );
    expect(err).toMatchObject({ code: 'JobAlreadyCreated', exitCode: 3 });
    expect(err.oneLine()).toMatch(
      /this generated object list .*account 111122223333, eu-west-1.*description "s3-encrypt update-encryption s3:\/\/src-bucket\.\.\.".*next day/,
    );
  });
});
