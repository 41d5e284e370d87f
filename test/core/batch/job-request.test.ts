import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkAccountId,
  checkCopyStorageClass,
  checkRoleArn,
  generatorJobRequest,
  jobToken,
  manifestJobRequest,
  type ManifestJobInput,
} from '../../../src/core/batch/job-request.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/s3-encrypt-batch';

const input: ManifestJobInput = {
  accountId: '111122223333',
  region: 'eu-west-1',
  roleArn: ROLE,
  priority: 10,
  report: { bucket: 'my-reports', key: 'batch/' },
  keyArn: KEY,
  bucket: 'src-bucket',
  group: 'copy',
  storageClass: 'STANDARD_IA',
  manifest: { bucket: 'my-reports', key: 'manifests/copy-STANDARD_IA.csv' },
  etag: '3858f62230ac3c915f300c664312c11f',
  versioned: false,
  description: 's3-encrypt copy STANDARD_IA s3://src-bucket',
};

describe('manifestJobRequest', () => {
  it('builds the copy job: in place, same class, bucket key, metadata kept, no key and no prompt', () => {
    const r = manifestJobRequest(sha256, input);
    expect(r).toEqual({
      AccountId: '111122223333',
      ConfirmationRequired: false,
      ClientRequestToken: r.ClientRequestToken,
      Priority: 10,
      RoleArn: ROLE,
      Description: 's3-encrypt copy STANDARD_IA s3://src-bucket',
      Operation: {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws:s3:::src-bucket',
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD_IA',
          MetadataDirective: 'COPY',
        },
      },
      Report: {
        Bucket: 'arn:aws:s3:::my-reports',
        Format: 'Report_CSV_20180820',
        Enabled: true,
        Prefix: 'batch',
        ReportScope: 'FailedTasksOnly',
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: {
          ObjectArn: 'arn:aws:s3:::my-reports/manifests/copy-STANDARD_IA.csv',
          ETag: '3858f62230ac3c915f300c664312c11f',
        },
      },
    });
    expect(r.Operation).not.toHaveProperty('S3PutObjectCopy.TargetKeyPrefix');
  });

  it('builds the update-encryption job with version ids when the manifest has them', () => {
    const r = manifestJobRequest(sha256, {
      ...input,
      group: 'update-encryption',
      storageClass: undefined,
      versioned: true,
      report: { bucket: 'my-reports', key: '' },
    });
    expect(r.Operation).toEqual({
      S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY, BucketKeyEnabled: true } } },
    });
    expect(r.Manifest?.Spec.Fields).toEqual(['Bucket', 'Key', 'VersionId']);
    expect(r.Report).not.toHaveProperty('Prefix');
  });
});

describe('ClientRequestToken', () => {
  const token = (over: Partial<ManifestJobInput> = {}) =>
    manifestJobRequest(sha256, { ...input, ...over }).ClientRequestToken;

  it('is at most 64 characters and the same for the same inputs', () => {
    expect(token()).toMatch(/^[0-9a-f]{64}$/);
    expect(token()).toBe(token());
  });

  it('changes with the account, region, operation, manifest, ETag, key and storage class', () => {
    const base = token();
    const variants = [
      token({ accountId: '444455556666' }),
      token({ region: 'eu-west-2' }),
      token({ group: 'update-encryption' }),
      token({ manifest: { bucket: 'my-reports', key: 'manifests/other.csv' } }),
      token({ etag: 'ffffffffffffffffffffffffffffffff' }),
      token({ keyArn: KEY.replace('1234abcd', 'abcd1234') }),
      token({ storageClass: 'STANDARD' }),
    ];
    for (const v of variants) expect(v).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('does not change with priority, role, report or description: those never start a second job', () => {
    expect(
      token({
        priority: 99,
        roleArn: 'arn:aws:iam::111122223333:role/other',
        report: { bucket: 'other-reports', key: 'x' },
        description: 'other',
      }),
    ).toBe(token());
  });

  it('is a truncated SHA-256 of its parts', () => {
    const t = jobToken((s) => sha256(s) + sha256(s), ['a']);
    expect(t).toHaveLength(64);
  });
});

describe('generatorJobRequest', () => {
  const gen = {
    accountId: '111122223333',
    region: 'eu-west-1',
    roleArn: ROLE,
    priority: 10,
    report: { bucket: 'my-reports', key: 'batch' },
    keyArn: KEY,
    bucket: 'src-bucket',
    day: '2026-05-01',
  };

  it('lists NOT-SSE objects of one class for the copy job', () => {
    const r = generatorJobRequest(sha256, {
      ...gen,
      group: 'copy',
      storageClass: 'STANDARD',
      prefix: 'logs/',
    });
    expect(r.Manifest).toBeUndefined();
    expect(r.ManifestGenerator).toEqual({
      S3JobManifestGenerator: {
        ExpectedBucketOwner: '111122223333',
        SourceBucket: 'arn:aws:s3:::src-bucket',
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          ExpectedManifestBucketOwner: '111122223333',
          Bucket: 'arn:aws:s3:::my-reports',
          ManifestPrefix: 'batch/generated-manifests',
          ManifestEncryption: { SSES3: {} },
          ManifestFormat: 'S3InventoryReport_CSV_20211130',
        },
        Filter: {
          MatchAnyObjectEncryption: [{ NOTSSE: {} }],
          MatchAnyStorageClass: ['STANDARD'],
          KeyNameConstraint: { MatchAnyPrefix: ['logs/'] },
        },
      },
    });
    expect(r.Operation).toHaveProperty('S3PutObjectCopy.StorageClass', 'STANDARD');
    expect(r.ConfirmationRequired).toBe(false);
  });

  it('lists SSE-S3 objects, any class, for the update job; the token moves with the day', () => {
    const r = generatorJobRequest(sha256, { ...gen, group: 'update-encryption' });
    expect(r.ManifestGenerator?.S3JobManifestGenerator.Filter).toEqual({
      MatchAnyObjectEncryption: [{ SSES3: {} }],
    });
    expect(r.Operation).toHaveProperty('S3UpdateObjectEncryption');
    const same = generatorJobRequest(sha256, { ...gen, group: 'update-encryption' });
    const tomorrow = generatorJobRequest(sha256, { ...gen, group: 'update-encryption', day: '2026-05-02' });
    expect(same.ClientRequestToken).toBe(r.ClientRequestToken);
    expect(tomorrow.ClientRequestToken).not.toBe(r.ClientRequestToken);
  });
});

describe('input checks', () => {
  it('accepts IAM role ARNs only', () => {
    expect(checkRoleArn(ROLE)).toBe(ROLE);
    expect(checkRoleArn('arn:aws:iam::111122223333:role/service-role/batch+x=y,z.@-_')).toMatch(
      /service-role/,
    );
    for (const bad of [
      's3-encrypt-batch',
      'arn:aws:iam::1111:role/x',
      'arn:aws:iam::111122223333:user/x',
      'arn:aws:s3:::bucket',
      'arn:aws:iam::111122223333:role/',
    ])
      expect(() => checkRoleArn(bad), bad).toThrow(/invalid --role-arn/);
  });

  it('accepts 12-digit account ids only', () => {
    expect(checkAccountId('111122223333')).toBe('111122223333');
    expect(() => checkAccountId('11112222333')).toThrow(/invalid account id "11112222333"/);
  });

  it('refuses classes a Batch copy cannot write', () => {
    expect(() => checkCopyStorageClass('GLACIER_IR', 'x')).not.toThrow();
    for (const c of ['REDUCED_REDUNDANCY', 'GLACIER', 'DEEP_ARCHIVE', 'EXPRESS_ONEZONE'])
      expect(() => checkCopyStorageClass(c, 'manifest m')).toThrow(/cannot be written by a Batch copy job/);
  });
});
