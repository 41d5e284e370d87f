// The local S3 Batch Operations service over HTTP, driven by the SDK's own S3 Control client:
// SigV4 checked, the model check applied, answers the SDK parses. Jobs need no store here.
import {
  CreateJobCommand,
  DescribeJobCommand,
  ListJobsCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localhostLookup } from '../../src/adapters/aws/transport/localhost-lookup.js';
import { startBatchService, type BatchService } from '../support/batch-service/server.js';

const violations = vi.hoisted(() => ({ list: [] as { path: string; rule: string; message: string }[] }));
vi.mock('../support/aws-model/check-input.js', () => ({ checkInput: () => violations.list }));

const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ACCOUNT = '123456789012';
let svc: BatchService;

function client(secretAccessKey = CREDS.secretAccessKey) {
  return new S3ControlClient({
    region: 'us-east-1',
    endpoint: svc.url,
    credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: false, lookup: localhostLookup } }),
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  svc = await startBatchService({
    store: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', ...CREDS },
    credentials: CREDS,
  });
});
afterAll(() => svc.close());

const createInput = {
  AccountId: ACCOUNT,
  ClientRequestToken: 'tok',
  Priority: 1,
  RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
  ConfirmationRequired: true,
  Operation: { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::b', BucketKeyEnabled: true } },
  Report: { Enabled: false },
  Manifest: {
    Spec: { Format: 'S3BatchOperations_CSV_20180820' as const, Fields: ['Bucket' as const, 'Key' as const] },
    Location: { ObjectArn: 'arn:aws:s3:::b/m.csv', ETag: 'e' },
  },
};

describe('local Batch service: the wire', () => {
  it('answers a request signed with the test credentials, at {AccountId}.localhost as the SDK addresses it', async () => {
    const out = await client().send(new ListJobsCommand({ AccountId: ACCOUNT }));
    expect(out.Jobs ?? []).toEqual([]);
  });

  it('refuses a request signed with another secret: SignatureDoesNotMatch, as AWS answers', async () => {
    await expect(client('wrong').send(new ListJobsCommand({ AccountId: ACCOUNT }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('reads CreateJob into the SDK input shape and answers DescribeJob in it', async () => {
    const c = client();
    const { JobId } = await c.send(new CreateJobCommand(createInput));
    const job = (await c.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }))).Job;
    expect(job).toMatchObject({
      JobId,
      Priority: 1,
      Operation: createInput.Operation,
      Manifest: createInput.Manifest,
    });
    const other = await c
      .send(new DescribeJobCommand({ AccountId: '210987654321', JobId }))
      .catch((e: unknown) => e);
    expect(other).toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses a request the model check finds fault with: 400 InvalidRequest naming each violation', async () => {
    violations.list = [{ path: 'ClientRequestToken', rule: 'max', message: 'longer than 64' }];
    try {
      await expect(
        client().send(new CreateJobCommand({ ...createInput, ClientRequestToken: 'x' })),
      ).rejects.toMatchObject({
        name: 'InvalidRequest',
        message: 'ClientRequestToken: max: longer than 64',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      violations.list = [];
    }
  });

  it('lists jobs in pages of MaxResults with a NextToken', async () => {
    const c = client();
    for (const tok of ['p1', 'p2'])
      await c.send(new CreateJobCommand({ ...createInput, ClientRequestToken: tok }));
    const first = await c.send(new ListJobsCommand({ AccountId: ACCOUNT, MaxResults: 1 }));
    expect(first.Jobs).toHaveLength(1);
    expect(first.NextToken).toBeTruthy();
    const rest = await c.send(
      new ListJobsCommand({ AccountId: ACCOUNT, MaxResults: 100, NextToken: first.NextToken }),
    );
    expect(rest.NextToken).toBeUndefined();
    expect(new Set([...(first.Jobs ?? []), ...(rest.Jobs ?? [])].map((j) => j.JobId)).size).toBe(
      1 + (rest.Jobs?.length ?? 0),
    );
  });

  it('listens on loopback only', () => {
    expect(svc.address).toBe('127.0.0.1');
  });
});
