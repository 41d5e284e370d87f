import { describe, expect, it } from 'vitest';
import { inventoryStatement } from '../../../src/core/inventory-config/destination-policy.js';
import {
  appDocument,
  batchPermissionsDocument,
  batchTrustDocument,
  documentsFor,
  kmsActions,
  keyPolicyDocument,
  operatorDocument,
  type PolicyTarget,
} from '../../../src/core/policy/documents.js';
import { leastPrivilegeViolations } from '../../../src/core/policy/least-privilege.js';
import { IamPolicy, scanWildcards } from './iam-scan.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const target = (over: Partial<PolicyTarget> = {}): PolicyTarget => ({
  accountId: '111122223333',
  region: 'eu-west-1',
  bucket: 'data-bucket',
  keyArn: KEY,
  manifestBucket: 'ops-bucket',
  manifestPrefix: 's3-encrypt',
  roleName: 's3-encrypt-batch',
  operation: 'both',
  contextCondition: false,
  inventoryKms: false,
  manifestGenerator: false,
  ...over,
});

const actionsOf = (doc: { policy: { Statement: { Action: string[] }[] } }) =>
  doc.policy.Statement.flatMap((s) => s.Action);

describe('every document, every option combination', () => {
  const combos = (['copy', 'update', 'both'] as const).flatMap((operation) =>
    [false, true].flatMap((flag) => [
      target({
        operation,
        contextCondition: flag,
        inventoryKms: flag,
        manifestGenerator: flag,
        appRoleArn: flag ? 'arn:aws:iam::111122223333:role/app' : undefined,
      }),
    ]),
  );
  it.each(combos.map((t) => [`${t.operation}/${t.contextCondition}`, t] as const))(
    '%s: valid IAM, no wildcard action or resource',
    (_n, t) => {
      for (const d of documentsFor('all', t)) {
        expect(IamPolicy.safeParse(d.policy).success, d.name).toBe(true);
        const hits = scanWildcards(d.policy);
        expect(hits, d.name).toEqual([]);
        expect(leastPrivilegeViolations(d.policy), d.name).toEqual([]);
        // Documents that use the key name it by its full ARN (the trust and inventory documents do not use it).
        if (!['batch-role-trust', 'inventory-destination'].includes(d.name))
          expect(JSON.stringify(d.policy), d.name).toContain(KEY);
      }
    },
  );
});

describe('the one Resource "*"', () => {
  it('is the s3:CreateJob statement, alone and narrowed by conditions', () => {
    const op = operatorDocument(target({ operation: 'copy' }));
    const star = op.policy.Statement.filter((s) => s.Resource?.includes('*'));
    expect(star).toHaveLength(1);
    expect(star[0]?.Action).toEqual(['s3:CreateJob']);
    expect(star[0]?.Condition?.StringEquals).toEqual({
      's3:RequestJobOperation': ['S3PutObjectCopy'],
      'aws:RequestedRegion': ['eu-west-1'],
    });
  });
});

describe('app', () => {
  it('allows only Decrypt and GenerateDataKey on the key through S3 in the region', () => {
    const [s] = appDocument(target()).policy.Statement;
    expect(s).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [KEY],
      Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-1.amazonaws.com'] } },
    });
  });
  it('pins the bucket ARN encryption context on request', () => {
    const [s] = appDocument(target({ contextCondition: true })).policy.Statement;
    expect(s?.Condition?.StringEquals?.['kms:EncryptionContext:aws:s3:arn']).toEqual([
      'arn:aws:s3:::data-bucket',
    ]);
  });
});

describe('batch role', () => {
  it('trusts only S3 Batch Operations from this account', () => {
    const [s] = batchTrustDocument(target()).policy.Statement;
    expect(s).toMatchObject({
      Principal: { Service: ['batchoperations.s3.amazonaws.com'] },
      Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'aws:SourceAccount': ['111122223333'] } },
    });
    expect(s?.Resource).toBeUndefined();
  });

  it('copy variant: reads source, writes in place with ACL and tags, reads manifests, writes reports, no UpdateObjectEncryption', () => {
    const d = batchPermissionsDocument(target({ operation: 'copy' }));
    const actions = actionsOf(d);
    for (const a of [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectAcl',
      's3:GetObjectTagging',
      's3:GetObjectVersionTagging',
      's3:PutObject',
      's3:PutObjectAcl',
      's3:PutObjectTagging',
      's3:ListBucket',
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ])
      expect(actions).toContain(a);
    expect(actions).not.toContain('s3:UpdateObjectEncryption');
    expect(actions).not.toContain('kms:ReEncryptFrom');
    const resources = d.policy.Statement.flatMap((s) => s.Resource ?? []);
    expect(new Set(resources)).toEqual(
      new Set([
        'arn:aws:s3:::data-bucket/*',
        'arn:aws:s3:::data-bucket',
        'arn:aws:s3:::ops-bucket/s3-encrypt/*',
        KEY,
      ]),
    );
  });

  it('update variant: UpdateObjectEncryption with the spelled-out ReEncrypt actions', () => {
    const actions = actionsOf(batchPermissionsDocument(target({ operation: 'update' })));
    for (const a of [
      's3:UpdateObjectEncryption',
      's3:PutObject',
      's3:GetObject',
      's3:GetObjectVersion',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:Encrypt',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
    ])
      expect(actions).toContain(a);
    expect(actions).not.toContain('s3:PutObjectAcl');
    expect(kmsActions('update').some((a) => a.includes('*'))).toBe(false);
  });

  it('adds s3:PutInventoryConfiguration on the bucket only for generated manifests', () => {
    expect(actionsOf(batchPermissionsDocument(target()))).not.toContain('s3:PutInventoryConfiguration');
    const s = batchPermissionsDocument(target({ manifestGenerator: true })).policy.Statement.find((x) =>
      x.Action.includes('s3:PutInventoryConfiguration'),
    );
    expect(s?.Resource).toEqual(['arn:aws:s3:::data-bucket']);
  });
});

describe('operator', () => {
  it('can pass only the Batch role, only to S3 Batch Operations', () => {
    const s = operatorDocument(target()).policy.Statement.find((x) => x.Action.includes('iam:PassRole'));
    expect(s).toMatchObject({
      Resource: ['arn:aws:iam::111122223333:role/s3-encrypt-batch'],
      Condition: { StringEquals: { 'iam:PassedToService': ['batchoperations.s3.amazonaws.com'] } },
    });
  });
  it('follows jobs by job ARN in the region', () => {
    const s = operatorDocument(target()).policy.Statement.find((x) => x.Action.includes('s3:DescribeJob'));
    expect(s?.Resource).toEqual(['arn:aws:s3:eu-west-1:111122223333:job/*']);
  });
});

describe('inventory destination', () => {
  it('is the statement setup-inventory writes, in list form', () => {
    const [doc] = documentsFor('inventory-destination', target());
    const written = inventoryStatement({
      sourceBucket: 'data-bucket',
      sourceAccount: '111122223333',
      destinationBucket: 'ops-bucket',
      destinationPrefix: 's3-encrypt',
    });
    expect(doc?.policy.Statement[0]).toMatchObject({
      Sid: written.Sid,
      Principal: { Service: ['s3.amazonaws.com'] },
      Action: ['s3:PutObject'],
      Resource: [written.Resource],
      Condition: {
        ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::data-bucket'] },
        StringEquals: {
          'aws:SourceAccount': ['111122223333'],
          's3:x-amz-acl': ['bucket-owner-full-control'],
        },
      },
    });
  });
});

describe('key policy', () => {
  it('allows the Batch role, the app role, and S3 inventory delivery when asked', () => {
    const d = keyPolicyDocument(
      target({ appRoleArn: 'arn:aws:iam::111122223333:role/app', inventoryKms: true, operation: 'copy' }),
    );
    const bySid = Object.fromEntries(d.policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.S3EncryptBatchRoleUseKey?.Principal).toEqual({
      AWS: ['arn:aws:iam::111122223333:role/s3-encrypt-batch'],
    });
    expect(bySid.S3EncryptBatchRoleUseKey?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(bySid.S3EncryptAppRoleUseKey?.Principal).toEqual({ AWS: ['arn:aws:iam::111122223333:role/app'] });
    expect(bySid.S3EncryptInventoryDelivery).toMatchObject({
      Principal: { Service: ['s3.amazonaws.com'] },
      Action: ['kms:GenerateDataKey'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': ['111122223333'] },
        ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::data-bucket'] },
      },
    });
  });
  it('leaves out the optional statements by default', () => {
    expect(keyPolicyDocument(target()).policy.Statement.map((s) => s.Sid)).toEqual([
      'S3EncryptBatchRoleUseKey',
    ]);
  });
});

describe('partitions', () => {
  it('names ARNs in the key partition', () => {
    const cn = 'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const text = JSON.stringify(documentsFor('all', target({ keyArn: cn, region: 'cn-north-1' })));
    expect(text).toContain('arn:aws-cn:s3:::data-bucket/*');
    expect(text).toContain('arn:aws-cn:iam::111122223333:role/s3-encrypt-batch');
  });
});
