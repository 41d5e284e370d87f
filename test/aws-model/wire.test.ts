// wire.ts reads raw HTTP requests back into operations and inputs. The real SDK clients' requests
// (sent over HTTP to a local server that records them) must come back as the operation that sent
// them with no violation; hand-made requests with each wire-level mistake must not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UpdateObjectEncryptionCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWire, type WireRequest } from '../support/aws-model/wire.js';

const ACCOUNT = '123456789012';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

let server: http.Server;
let endpoint: string;
const seen: WireRequest[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end('<Error><Code>Recorded</Code><Message>recorded</Message></Error>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends one command and returns the request the server saw. */
async function sent(send: () => Promise<unknown>): Promise<WireRequest> {
  const before = seen.length;
  await send().catch(() => undefined);
  expect(seen.length).toBe(before + 1);
  return seen[before] as WireRequest;
}

const s3 = () =>
  new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials, maxAttempts: 1 });

/** S3 Control puts the account id in the host name; connect to the local server all the same. */
const s3control = () => {
  const inner = new NodeHttpHandler();
  return new S3ControlClient({
    region: 'us-east-1',
    endpoint: endpoint.replace('127.0.0.1', 'localhost'),
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: (
        req: Parameters<NodeHttpHandler['handle']>[0],
        opts?: Parameters<NodeHttpHandler['handle']>[1],
      ) => {
        req.hostname = '127.0.0.1';
        return inner.handle(req, opts);
      },
    } as unknown as NodeHttpHandler,
  });
};

const CASES: [string, string, () => Promise<unknown>][] = [
  ['s3', 'ListBuckets', () => s3().send(new ListBucketsCommand({}))],
  [
    's3',
    'PutObject',
    () => s3().send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x', Metadata: { a: 'b' } })),
  ],
  [
    's3',
    'HeadObject',
    () => s3().send(new HeadObjectCommand({ Bucket: 'b', Key: 'dir/a b+c.txt', VersionId: 'v1' })),
  ],
  ['s3', 'GetObject', () => s3().send(new GetObjectCommand({ Bucket: 'b', Key: 'k', Range: 'bytes=0-0' }))],
  [
    's3',
    'ListObjectsV2',
    () => s3().send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'p/', MaxKeys: 1, EncodingType: 'url' })),
  ],
  [
    's3',
    'ListObjectVersions',
    () => s3().send(new ListObjectVersionsCommand({ Bucket: 'b', KeyMarker: 'k' })),
  ],
  [
    's3',
    'CopyObject',
    () =>
      s3().send(
        new CopyObjectCommand({
          Bucket: 'b',
          Key: 'k',
          CopySource: 'b/k?versionId=v1',
          CopySourceIfMatch: '"etag"',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: KEY_ARN,
          BucketKeyEnabled: true,
          MetadataDirective: 'REPLACE',
          Metadata: { owner: 'me' },
          StorageClass: 'STANDARD_IA',
        }),
      ),
  ],
  [
    's3',
    'CreateMultipartUpload',
    () =>
      s3().send(
        new CreateMultipartUploadCommand({
          Bucket: 'b',
          Key: 'k',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: KEY_ARN,
        }),
      ),
  ],
  [
    's3',
    'UploadPartCopy',
    () =>
      s3().send(
        new UploadPartCopyCommand({
          Bucket: 'b',
          Key: 'k',
          CopySource: 'b/k',
          UploadId: 'u',
          PartNumber: 1,
          CopySourceRange: 'bytes=0-9',
        }),
      ),
  ],
  [
    's3',
    'UpdateObjectEncryption',
    () =>
      s3().send(
        new UpdateObjectEncryptionCommand({
          Bucket: 'b',
          Key: 'k',
          ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
        }),
      ),
  ],
  [
    's3',
    'PutObjectTagging',
    () =>
      s3().send(
        new PutObjectTaggingCommand({
          Bucket: 'b',
          Key: 'k',
          Tagging: { TagSet: [{ Key: 'a', Value: 'b & c' }] },
        }),
      ),
  ],
  [
    's3',
    'PutObjectAcl',
    () =>
      s3().send(
        new PutObjectAclCommand({
          Bucket: 'b',
          Key: 'k',
          AccessControlPolicy: {
            Owner: { ID: 'owner' },
            Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'someone' }, Permission: 'READ' }],
          },
        }),
      ),
  ],
  [
    's3',
    'PutBucketEncryption',
    () =>
      s3().send(
        new PutBucketEncryptionCommand({
          Bucket: 'b',
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
                BucketKeyEnabled: true,
              },
            ],
          },
        }),
      ),
  ],
  [
    's3',
    'PutBucketInventoryConfiguration',
    () =>
      s3().send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: 'b',
          Id: 'inv',
          InventoryConfiguration: {
            Id: 'inv',
            IsEnabled: true,
            IncludedObjectVersions: 'All',
            Schedule: { Frequency: 'Daily' },
            OptionalFields: ['Size', 'EncryptionStatus', 'BucketKeyStatus'],
            Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::d', Format: 'CSV', Prefix: 'p' } },
          },
        }),
      ),
  ],
  [
    's3',
    'PutBucketPolicy',
    () =>
      s3().send(
        new PutBucketPolicyCommand({ Bucket: 'b', Policy: '{"Version":"2012-10-17","Statement":[]}' }),
      ),
  ],
  [
    'kms',
    'DescribeKey',
    () =>
      new KMSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 }).send(
        new DescribeKeyCommand({ KeyId: 'alias/app' }),
      ),
  ],
  [
    'kms',
    'GetKeyPolicy',
    () =>
      new KMSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 }).send(
        new GetKeyPolicyCommand({ KeyId: KEY_ARN, PolicyName: 'default' }),
      ),
  ],
  [
    'sts',
    'GetCallerIdentity',
    () =>
      new STSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 }).send(
        new GetCallerIdentityCommand({}),
      ),
  ],
  [
    's3control',
    'CreateJob',
    () =>
      s3control().send(
        new CreateJobCommand({
          AccountId: ACCOUNT,
          ConfirmationRequired: false,
          ClientRequestToken: 't'.repeat(64),
          Priority: 10,
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/batch`,
          Operation: {
            S3UpdateObjectEncryption: {
              ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
            },
          },
          Report: {
            Bucket: 'arn:aws:s3:::r',
            Format: 'Report_CSV_20180820',
            Enabled: true,
            ReportScope: 'FailedTasksOnly',
          },
          ManifestGenerator: {
            S3JobManifestGenerator: {
              SourceBucket: 'arn:aws:s3:::b',
              EnableManifestOutput: true,
              ManifestOutputLocation: {
                Bucket: 'arn:aws:s3:::r',
                ManifestEncryption: { SSES3: {} },
                ManifestFormat: 'S3InventoryReport_CSV_20211130',
              },
              Filter: {
                MatchAnyObjectEncryption: [{ SSES3: {} }],
                KeyNameConstraint: { MatchAnyPrefix: ['p/'] },
              },
            },
          },
        }),
      ),
  ],
  [
    's3control',
    'DescribeJob',
    () => s3control().send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: 'job-1' })),
  ],
];

describe("the SDK's own requests read back with no violation", () => {
  it.each(CASES)('%s %s', async (service, operation, send) => {
    const r = checkWire(await sent(send));
    expect({ service: r.service, operation: r.operation, violations: r.violations }).toEqual({
      service,
      operation,
      violations: [],
    });
  });

  it('reads the members back: key with / and spaces, headers, the meta map, XML payloads', async () => {
    const copy = checkWire(
      await sent(CASES.find((c) => c[1] === 'CopyObject')?.[2] as () => Promise<unknown>),
    );
    expect(copy.input).toMatchObject({
      Bucket: 'b',
      Key: 'k',
      SSEKMSKeyId: KEY_ARN,
      BucketKeyEnabled: true,
      Metadata: { owner: 'me' },
      StorageClass: 'STANDARD_IA',
    });
    const head = checkWire(
      await sent(CASES.find((c) => c[1] === 'HeadObject')?.[2] as () => Promise<unknown>),
    );
    expect(head.input).toEqual({ Bucket: 'b', Key: 'dir/a b+c.txt', VersionId: 'v1' });
    const job = checkWire(await sent(CASES.find((c) => c[1] === 'CreateJob')?.[2] as () => Promise<unknown>));
    expect(job.input).toMatchObject({
      AccountId: ACCOUNT,
      Priority: 10,
      ConfirmationRequired: false,
      ManifestGenerator: {
        S3JobManifestGenerator: {
          Filter: {
            MatchAnyObjectEncryption: [{ SSES3: {} }],
            KeyNameConstraint: { MatchAnyPrefix: ['p/'] },
          },
        },
      },
    });
  });
});

function raw(method: string, url: string, headers: Record<string, string> = {}, body = ''): WireRequest {
  return {
    method,
    url,
    headers: {
      host: '127.0.0.1:9000',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      ...headers,
    },
    body,
  };
}
const rules = (r: { violations: { path: string; rule: string }[] }) =>
  r.violations.map((v) => `${v.path} ${v.rule}`);

describe('wire-level mistakes', () => {
  const uoe = `<ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><SSE-KMS><KMSKeyArn>${KEY_ARN}</KMSKeyArn><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>`;

  it('UpdateObjectEncryption without a request checksum (the model marks it required)', () => {
    const r = checkWire(raw('PUT', '/b/k?encryption', {}, uoe));
    expect(r.operation).toBe('UpdateObjectEncryption');
    expect(rules(r)).toEqual([' httpChecksum.requestChecksumRequired']);
    expect(
      rules(checkWire(raw('PUT', '/b/k?encryption', { 'x-amz-checksum-crc32': 'AAAAAA==' }, uoe))),
    ).toEqual([]);
  });

  it('UpdateObjectEncryption with a key alias breaks the KMSKeyArn pattern on the wire too', () => {
    const r = checkWire(
      raw(
        'PUT',
        '/b/k?encryption',
        { 'content-md5': 'x' },
        uoe.replace(KEY_ARN, 'alias/some-long-alias-name'),
      ),
    );
    expect(rules(r)).toEqual(['ObjectEncryption.SSEKMS.KMSKeyArn pattern']);
  });

  it('a query parameter or x-amz header no member binds, and a required header that is missing', () => {
    expect(rules(checkWire(raw('HEAD', '/b/k?versionid=v1')))).toEqual(['versionid unknown-query-parameter']);
    expect(rules(checkWire(raw('HEAD', '/b/k', { 'x-amz-server-side-encryption': 'aws:kms' })))).toEqual([
      'x-amz-server-side-encryption unknown-header',
    ]);
    // UploadPartCopy without x-amz-copy-source reads as UploadPart; its Body is then missing nothing,
    // but a copy with an enum typo is caught.
    expect(
      rules(
        checkWire(raw('PUT', '/b/k', { 'x-amz-copy-source': 'b/k', 'x-amz-metadata-directive': 'KEEP' })),
      ),
    ).toEqual(['MetadataDirective enum']);
  });

  it('types on the wire: a header that should be a boolean, a query parameter that should be a number', () => {
    expect(
      rules(
        checkWire(
          raw('PUT', '/b/k', {
            'x-amz-copy-source': 'b/k',
            'x-amz-server-side-encryption-bucket-key-enabled': 'yes',
          }),
        ),
      ),
    ).toEqual(['BucketKeyEnabled type']);
    expect(rules(checkWire(raw('GET', '/b?list-type=2&max-keys=ten')))).toEqual(['MaxKeys type']);
  });

  it('x-id naming another operation', () => {
    expect(rules(checkWire(raw('GET', '/b/k?x-id=PutObject')))).toEqual(['x-id x-id']);
  });

  it('a CreateJob body with SSEAlgorithm aws:kms, and an unknown element', () => {
    const body = `<CreateJobRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><ClientRequestToken>t</ClientRequestToken><Priority>1</Priority><RoleArn>arn:aws:iam::${ACCOUNT}:role/r</RoleArn><Operation><S3PutObjectCopy><NewObjectMetadata><SSEAlgorithm>aws:kms</SSEAlgorithm></NewObjectMetadata><Colour>red</Colour></S3PutObjectCopy></Operation><Report><Enabled>false</Enabled></Report></CreateJobRequest>`;
    const r = checkWire(raw('POST', '/v20180820/jobs', { 'x-amz-account-id': ACCOUNT }, body));
    expect(r.service).toBe('s3control');
    expect(rules(r).sort()).toEqual(
      [
        'Operation.S3PutObjectCopy.Colour unknown-member',
        'Operation.S3PutObjectCopy.NewObjectMetadata.SSEAlgorithm enum',
      ].sort(),
    );
    expect(rules(checkWire(raw('POST', '/v20180820/jobs', {}, body)))).toContain('AccountId required');
  });

  it('requests no model knows are violations, not passes', () => {
    expect(rules(checkWire(raw('PATCH', '/b/k')))).toEqual([' unknown-operation']);
    // moto's own API reads as an S3 object request that lacks what the operation needs.
    expect(rules(checkWire(raw('POST', '/moto-api/reset')))).toEqual(['UploadId required']);
    expect(
      rules(
        checkWire(
          raw('GET', '/admin/usage', {
            authorization: 'AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/iam/aws4_request',
          }),
        ),
      ),
    ).toEqual([' unknown-operation']);
    const kms = raw(
      'POST',
      '/',
      { 'x-amz-target': 'TrentService.MakeMeAKey', 'content-type': 'application/x-amz-json-1.1' },
      '{}',
    );
    expect(rules(checkWire(kms))).toEqual([' unknown-operation']);
  });

  it('KMS and STS envelopes', () => {
    const kms = raw(
      'POST',
      '/',
      { 'x-amz-target': 'TrentService.DescribeKey', 'content-type': 'application/json' },
      '{"KeyId":"k","Colour":1}',
    );
    expect(rules(checkWire(kms)).sort()).toEqual([' content-type', 'Colour unknown-member']);
    const sts = raw(
      'POST',
      '/',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'Action=GetCallerIdentity&Version=2011-06-15&Extra=1',
    );
    expect(rules(checkWire(sts))).toEqual(['Extra unknown-member']);
  });
});

describe('operations that share a wire form', () => {
  it('the one that is not deprecated is meant (the SDK has only that one)', () => {
    const r = checkWire(raw('GET', '/b/?lifecycle='));
    expect({ operation: r.operation, violations: rules(r) }).toEqual({
      operation: 'GetBucketLifecycleConfiguration',
      violations: [],
    });
    expect(checkWire(raw('GET', '/b?notification')).operation).toBe('GetBucketNotificationConfiguration');
  });
});

describe('XML namespaces the model states', () => {
  it('a payload without its xmlns, or with another one', () => {
    const tagging = (ns: string) =>
      `<Tagging${ns}><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`;
    const put = (body: string) => checkWire(raw('PUT', '/b/k?tagging', { 'content-md5': 'x' }, body));
    expect(rules(put(tagging(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"')))).toEqual([]);
    expect(rules(put(tagging('')))).toEqual(['Tagging xml-namespace']);
    expect(rules(put(tagging(' xmlns="http://example.com/"')))).toEqual(['Tagging xml-namespace']);
  });
});
