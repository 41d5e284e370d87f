import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetBucketLocationCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditDirectory, renewing } from '../../../../src/adapters/aws/accounts/audit-access.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { listOrganizationAccounts } from '../../../../src/adapters/aws/accounts/organizations.js';
import { PreconditionError, type S3EncryptError } from '../../../../src/core/errors.js';

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const creds = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' };
Object.assign(process.env, creds);

afterEach(() => {
  s3.reset();
  sts.reset();
});

const open = () => auditDirectory({ region: 'us-east-1' }, {}).open(undefined);

async function failure(p: Promise<unknown>): Promise<S3EncryptError> {
  try {
    await p;
  } catch (e) {
    return e as S3EncryptError;
  }
  throw new Error('expected a failure');
}

describe('audit-access', () => {
  it('GetBucketLocation: no constraint is us-east-1, EU is eu-west-1', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'a' }).resolves({});
    s3.on(GetBucketLocationCommand, { Bucket: 'b' }).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLocationCommand, { Bucket: 'c' }).resolves({ LocationConstraint: 'ap-south-1' });
    const a = await open();
    expect(await a.bucketRegion('a')).toBe('us-east-1');
    expect(await a.bucketRegion('b')).toBe('eu-west-1');
    expect(await a.bucketRegion('c')).toBe('ap-south-1');
  });

  it('ListBuckets follows ContinuationToken to the last page', async () => {
    s3.on(ListBucketsCommand, { ContinuationToken: undefined }).resolves({
      Buckets: [{ Name: 'one' }],
      ContinuationToken: 't1',
    });
    s3.on(ListBucketsCommand, { ContinuationToken: 't1' }).resolves({ Buckets: [{ Name: 'two' }] });
    expect(await (await open()).listBuckets()).toEqual(['one', 'two']);
  });

  it('a refused ListBuckets names s3:ListAllMyBuckets', async () => {
    s3.on(ListBucketsCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'no',
      }),
    );
    const e = await failure((await open()).listBuckets());
    expect(e).toBeInstanceOf(PreconditionError);
    expect(e.message).toBe('access denied: s3:ListAllMyBuckets on the account');
  });

  it('AssumeRole: refused is an error naming sts:AssumeRole; granted sessions are renewed before they expire', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/No' }).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const a = await open();
    const e = await failure(a.assumeRole('arn:aws:iam::222222222222:role/No', 's3-encrypt-audit'));
    expect(e.message).toBe('access denied: sts:AssumeRole on the account');

    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::333333333333:role/Yes' }).resolves({
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
    });
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '333333333333', Arn: 'arn:aws:sts::333333333333:assumed-role/Yes/s' });
    const role = await a.assumeRole('arn:aws:iam::333333333333:role/Yes', 's3-encrypt-audit');
    expect(await role.identity()).toEqual({
      account: '333333333333',
      arn: 'arn:aws:sts::333333333333:assumed-role/Yes/s',
    });
    // The refused role and the granted one: nothing else asked STS for a session.
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('renews a session within 5 minutes of its expiry, once for concurrent callers', async () => {
    let clock = 0;
    let n = 0;
    const session = (expiresAt: number) => ({ id: ++n, expiration: new Date(expiresAt) });
    const get = renewing(
      session(3600_000),
      async () => session(clock + 3600_000),
      () => clock,
    );
    expect((await get()).id).toBe(1);
    clock = 3600_000 - 6 * 60_000;
    expect((await get()).id).toBe(1);
    clock = 3600_000 - 4 * 60_000;
    const [a, b] = await Promise.all([get(), get()]);
    expect([a.id, b.id]).toEqual([2, 2]);
    expect((await get()).id).toBe(2);
  });
});

/** A one-route Organizations endpoint on loopback. */
async function orgServer(
  answer: (
    body: { NextToken?: string },
    headers: http.IncomingHttpHeaders,
  ) => { status: number; json: unknown },
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const a = answer(JSON.parse(text || '{}') as { NextToken?: string }, req.headers);
      const body = JSON.stringify(a.json);
      res.writeHead(a.status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('Organizations ListAccounts', () => {
  it('is signed for organizations, targets ListAccounts and reads every page', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const srv = await orgServer((body, headers) => {
      seen.push(headers);
      return body.NextToken === 'p2'
        ? { status: 200, json: { Accounts: [{ Id: '222222222222', Status: 'SUSPENDED' }] } }
        : {
            status: 200,
            json: { Accounts: [{ Id: '111111111111', Name: 'a', Status: 'ACTIVE' }], NextToken: 'p2' },
          };
    });
    try {
      const accounts = await listOrganizationAccounts(
        makeClients({ region: 'eu-west-1', endpoint: srv.endpoint }),
      );
      expect(accounts).toEqual([
        { id: '111111111111', name: 'a', status: 'ACTIVE' },
        { id: '222222222222', name: undefined, status: 'SUSPENDED' },
      ]);
      expect(seen[0]?.['x-amz-target']).toBe('AWSOrganizationsV20161128.ListAccounts');
      expect(seen[0]?.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/organizations\/aws4_request/,
      );
    } finally {
      await srv.close();
    }
  });

  it('a refusal is AccessDenied naming organizations:ListAccounts; not in an organization is a service error', async () => {
    const srv = await orgServer(() => ({
      status: 400,
      json: {
        __type: 'com.amazonaws.organizations#AccessDeniedException',
        message: 'You don’t have permissions',
      },
    }));
    try {
      const e = await failure(
        listOrganizationAccounts(makeClients({ region: 'us-east-1', endpoint: srv.endpoint })),
      );
      expect(e).toBeInstanceOf(PreconditionError);
      expect(e.message).toBe('access denied: organizations:ListAccounts on the account');
    } finally {
      await srv.close();
    }
    const none = await orgServer(() => ({
      status: 400,
      json: { __type: 'AWSOrganizationsNotInUseException', message: 'not in use' },
    }));
    try {
      const e = await failure(
        listOrganizationAccounts(makeClients({ region: 'us-east-1', endpoint: none.endpoint })),
      );
      expect(e.code).toBe('AWSOrganizationsNotInUseException');
      expect(e.message).toMatch(
        /organizations:ListAccounts .* failed with AWSOrganizationsNotInUseException/,
      );
    } finally {
      await none.close();
    }
  });

  it('refuses a page that is not an account list', async () => {
    const srv = await orgServer(() => ({ status: 200, json: { Accounts: [{ Id: '12' }] } }));
    try {
      const e = await failure(
        listOrganizationAccounts(makeClients({ region: 'us-east-1', endpoint: srv.endpoint })),
      );
      expect(e.exitCode).toBe(4);
    } finally {
      await srv.close();
    }
  });
});
