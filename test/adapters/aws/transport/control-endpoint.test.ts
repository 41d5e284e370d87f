// S3 Control at a local endpoint: with --endpoint-url (an S3 store), S3 Control requests go out
// only when the SDK's own settings name an S3 Control endpoint (AWS_ENDPOINT_URL_S3_CONTROL);
// the account id the SDK then puts in front of that host (`{AccountId}.localhost`) resolves to
// loopback.
import { createHash } from 'node:crypto';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { localhostLookup } from '../../../../src/adapters/aws/transport/localhost-lookup.js';
import { manifestJobRequest } from '../../../../src/core/batch/job-request.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const request = manifestJobRequest(sha256, {
  accountId: '111122223333',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::111122223333:role/s3-encrypt-batch',
  priority: 10,
  report: { bucket: 'my-reports', key: 'batch' },
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  bucket: 'src-bucket',
  group: 'copy',
  storageClass: 'STANDARD',
  manifest: { bucket: 'my-reports', key: 'm.csv' },
  etag: 'abc',
  versioned: false,
  description: 'test',
});

describe('S3 Control endpoint with --endpoint-url', () => {
  const control = mockClient(S3ControlClient);
  afterEach(() => {
    control.reset();
    delete process.env.AWS_ENDPOINT_URL_S3_CONTROL;
  });

  it('sends the job when AWS_ENDPOINT_URL_S3_CONTROL names S3 Control its own endpoint', async () => {
    process.env.AWS_ENDPOINT_URL_S3_CONTROL = 'http://localhost:9999';
    control.on(CreateJobCommand).resolves({ JobId: 'job-1' });
    const jobs = batchJobs(makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' }));
    await expect(jobs.createJob(request)).resolves.toBe('job-1');
  });

  it('refuses without one, sending nothing', async () => {
    const jobs = batchJobs(makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' }));
    await expect(jobs.createJob(request)).rejects.toMatchObject({ code: 'BatchUnavailable' });
    expect(control.calls()).toHaveLength(0);
  });
});

describe('localhostLookup', () => {
  const ask = (host: string, all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      localhostLookup(host, { all }, (err, address, family) =>
        err ? reject(err) : resolve(all ? address : [address, family]),
      ),
    );

  it('answers localhost names with loopback (RFC 6761), as a single address or a list', async () => {
    expect(await ask('111122223333.localhost', false)).toEqual(['127.0.0.1', 4]);
    expect(await ask('LOCALHOST.', true)).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('leaves every other name to the system resolver', async () => {
    await expect(ask('localhost.invalid', false)).rejects.toMatchObject({
      code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/),
    });
  });
});
