// What the S3 Control adapter puts on the wire: the SDK's real serializer and endpoint rules run,
// and a capturing request handler stands in for the network. The mocked-client tests cannot show
// this (aws-sdk-client-mock replaces send() before serialization).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { batchJobs } from '../../../../src/adapters/aws/batch/batch-jobs.js';
import type { AwsClients } from '../../../../src/adapters/aws/transport/clients.js';
import { generatorJobRequest, manifestJobRequest } from '../../../../src/core/batch/job-request.js';

interface Captured {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function capturingClients(responseXml: string): { aws: AwsClients; sent: Captured[] } {
  const sent: Captured[] = [];
  const client = new S3ControlClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      async handle(req: {
        method: string;
        hostname: string;
        path: string;
        headers: Record<string, string>;
        body?: unknown;
      }) {
        sent.push({
          method: req.method,
          hostname: req.hostname,
          path: req.path,
          headers: req.headers,
          body: String(req.body ?? ''),
        });
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([responseXml]),
          },
        };
      },
    },
  });
  const aws = { config: { region: 'eu-west-1' }, s3control: () => client } as unknown as AwsClients;
  return { aws, sent };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const common = {
  accountId: '111122223333',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::111122223333:role/s3-encrypt-batch',
  priority: 10,
  report: { bucket: 'my-reports', key: 'batch' },
  keyArn: KEY,
  bucket: 'src-bucket',
};
const OK =
  '<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>wire-job-1</JobId></CreateJobResult>';

describe('CreateJob on the wire', () => {
  it('posts to the account endpoint in the bucket region with our token and explicit ConfirmationRequired=false', async () => {
    const { aws, sent } = capturingClients(OK);
    const request = manifestJobRequest(sha256, {
      ...common,
      group: 'copy',
      storageClass: 'STANDARD_IA',
      manifest: { bucket: 'my-reports', key: 'm/copy-STANDARD_IA.csv' },
      etag: '3858f62230ac3c915f300c664312c11f',
      versioned: false,
      description: 's3-encrypt copy STANDARD_IA s3://src-bucket',
    });
    expect(await batchJobs(aws).createJob(request)).toBe('wire-job-1');
    const [req] = sent;
    expect(req?.method).toBe('POST');
    expect(req?.hostname).toBe('111122223333.s3-control.eu-west-1.amazonaws.com');
    expect(req?.path).toBe('/v20180820/jobs');
    expect(req?.headers['x-amz-account-id']).toBe('111122223333');
    const body = req?.body ?? '';
    expect(body).toContain('<ConfirmationRequired>false</ConfirmationRequired>');
    expect(body).toContain(`<ClientRequestToken>${request.ClientRequestToken}</ClientRequestToken>`);
    expect(body).toMatch(
      /<S3PutObjectCopy><TargetResource>arn:aws:s3:::src-bucket<\/TargetResource>.*<MetadataDirective>COPY<\/MetadataDirective>.*<StorageClass>STANDARD_IA<\/StorageClass>.*<BucketKeyEnabled>true<\/BucketKeyEnabled><\/S3PutObjectCopy>/,
    );
    expect(body).not.toContain('TargetKeyPrefix');
    // The bucket default (SSE-KMS + Bucket Key) encrypts the copies: no key, no new metadata.
    expect(body).not.toContain('SSEAwsKmsKeyId');
    expect(body).not.toContain('NewObjectMetadata');
    expect(body).toContain('<Fields><member>Bucket</member><member>Key</member></Fields>');
    expect(body).toContain('<ETag>3858f62230ac3c915f300c664312c11f</ETag>');
    expect(body).toContain('<ReportScope>FailedTasksOnly</ReportScope>');
  });

  it('serialises the generator filter and the update-encryption operation', async () => {
    const { aws, sent } = capturingClients(OK);
    await batchJobs(aws).createJob(
      generatorJobRequest(sha256, { ...common, group: 'copy', storageClass: 'STANDARD', day: '2026-05-01' }),
    );
    await batchJobs(aws).createJob(
      generatorJobRequest(sha256, { ...common, group: 'update-encryption', day: '2026-05-01' }),
    );
    const [copy, update] = sent.map((s) => s.body);
    // The SDK members NOTSSE / SSES3 travel as the XML elements NOT-SSE / SSE-S3.
    expect(copy).toContain(
      '<MatchAnyObjectEncryption><ObjectEncryption><NOT-SSE/></ObjectEncryption></MatchAnyObjectEncryption>',
    );
    expect(copy).toContain('<ManifestEncryption><SSE-S3/></ManifestEncryption>');
    expect(copy).toMatch(/<MatchAnyStorageClass><member>STANDARD<\/member><\/MatchAnyStorageClass>/);
    expect(copy).toContain('<ManifestFormat>S3InventoryReport_CSV_20211130</ManifestFormat>');
    expect(copy).toContain('<EnableManifestOutput>true</EnableManifestOutput>');
    expect(update).toContain(
      '<MatchAnyObjectEncryption><ObjectEncryption><SSE-S3/></ObjectEncryption></MatchAnyObjectEncryption>',
    );
    expect(update).toMatch(
      /<S3UpdateObjectEncryption><ObjectEncryption><SSE-KMS><KMSKeyArn>arn:aws:kms:eu-west-1:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab<\/KMSKeyArn><BucketKeyEnabled>true<\/BucketKeyEnabled><\/SSE-KMS><\/ObjectEncryption><\/S3UpdateObjectEncryption>/,
    );
  });
});
