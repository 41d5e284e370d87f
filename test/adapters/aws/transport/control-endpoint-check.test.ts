// S3 Control's own endpoint (AWS_ENDPOINT_URL_S3_CONTROL and the SDK's other settings) as a tired
// operator sets it: garbage and IP addresses are refused before any request with one line naming
// the setting (not "TypeError: Invalid URL: retry"); a dead port or a plain-HTTP port asked in
// https names that endpoint and that setting, not --endpoint-url (the S3 store's), and a
// `localhost` name resolves to loopback over https as over http.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchJobs } from '../../../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { checkControlEndpoint } from '../../../../src/adapters/aws/transport/control-endpoint.js';
import { manifestJobRequest } from '../../../../src/core/batch/job-request.js';
import type { S3EncryptError } from '../../../../src/core/errors.js';

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
const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const jobsWith = () =>
  batchJobs(
    makeClients({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      maxAttempts: 1,
      credentials: async () => creds,
    }),
  );
const ONE_LINE = /^[^\n]+: [^\n]+$/;

afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_S3_CONTROL;
});

/** checkControlEndpoint's refusal of `value`: exit 2, code BadControlEndpoint, one line. */
function refusal(value: string): string {
  let err: S3EncryptError | undefined;
  try {
    checkControlEndpoint(value);
  } catch (e) {
    err = e as S3EncryptError;
  }
  expect(err).toMatchObject({ code: 'BadControlEndpoint', exitCode: 2 });
  expect(err?.oneLine()).toMatch(ONE_LINE);
  return err?.oneLine() ?? '';
}

describe('checkControlEndpoint', () => {
  it.each(['garbage', ' ', 'http://', 'ftp://localhost:9999', 'localhost:9999'])(
    '"%s" is not an http(s) URL: exit 2, one line naming the setting',
    (value) => {
      expect(refusal(value)).toMatch(/is not an http\(s\) URL: set AWS_ENDPOINT_URL_S3_CONTROL/);
    },
  );

  it.each(['http://user:hunter2@localhost:9999', 'https://:hunter2@localhost', 'ftp://u:hunter2@localhost'])(
    '%s: refused before any request, and the password is never shown',
    (value) => {
      expect(refusal(value)).not.toContain('hunter2');
    },
  );

  it.each([
    ['http://127.0.0.1:9999', 'http://localhost:9999'],
    ['https://[::1]:8443', 'https://localhost:8443'],
  ])('%s: an IP host cannot take the account id in front; the fix names localhost', (value, fix) => {
    expect(() => checkControlEndpoint(value)).toThrow(
      expect.objectContaining({
        code: 'BadControlEndpoint',
        exitCode: 2,
        hint: expect.stringContaining(fix),
      }),
    );
  });

  it.each([
    'http://localhost:9999',
    'https://s3-control.us-east-1.amazonaws.com',
    'http://batch.localhost:1',
  ])('%s is accepted', (value) => {
    expect(() => checkControlEndpoint(value)).not.toThrow();
  });
});

describe('batchJobs with a bad S3 Control endpoint', () => {
  it('refuses garbage before any request (was: TypeError: Invalid URL, exit 4 "retry")', async () => {
    const control = mockClient(S3ControlClient);
    try {
      process.env.AWS_ENDPOINT_URL_S3_CONTROL = 'garbage';
      const jobs = jobsWith();
      await expect(jobs.checkEndpoint?.()).rejects.toMatchObject({ code: 'BadControlEndpoint' });
      await expect(jobs.createJob(request)).rejects.toMatchObject({ code: 'BadControlEndpoint' });
      await expect(jobs.describeJob('111122223333', 'job-12345')).rejects.toMatchObject({
        code: 'BadControlEndpoint',
      });
      expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
    } finally {
      control.restore();
    }
  });

  it('a dead port: names that endpoint and its setting, not --endpoint-url', async () => {
    process.env.AWS_ENDPOINT_URL_S3_CONTROL = 'http://localhost:1';
    const err = (await jobsWith()
      .createJob(request)
      .catch((e: unknown) => e)) as S3EncryptError;
    expect(err).toMatchObject({ code: 'Unreachable', exitCode: 4 });
    expect(err.oneLine()).toMatch(ONE_LINE);
    expect(err.oneLine()).toMatch(/cannot reach http:\/\/localhost:1 .*check AWS_ENDPOINT_URL_S3_CONTROL/);
    expect(err.oneLine()).not.toMatch(/--endpoint-url|127\.0\.0\.1:9000/);
  });

  describe('https to a plain HTTP port on a localhost name', () => {
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => res.writeHead(400).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('resolves ACCOUNT.localhost over https too, and says the port speaks plain HTTP (was: ENOTFOUND)', async () => {
      process.env.AWS_ENDPOINT_URL_S3_CONTROL = `https://localhost:${port}`;
      const err = (await jobsWith()
        .createJob(request)
        .catch((e: unknown) => e)) as S3EncryptError;
      expect(err).toMatchObject({ code: 'EndpointNotTls', exitCode: 2 });
      expect(err.oneLine()).toMatch(ONE_LINE);
      expect(err.oneLine()).toMatch(/speaks plain HTTP.*check AWS_ENDPOINT_URL_S3_CONTROL/);
    });
  });
});
