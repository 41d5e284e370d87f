// The conformance checker itself: inputs AWS's models accept pass, and each kind of mistake the
// models forbid is caught with the member path and the rule.
import { describe, expect, it } from 'vitest';
import { checkInput } from '../support/aws-model/check-input.js';
import { botocoreDataDir } from '../support/aws-model/models.js';

const ACCOUNT = '123456789012';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function copyJob(
  over: Record<string, unknown> = {},
  copy: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    AccountId: ACCOUNT,
    ConfirmationRequired: false,
    ClientRequestToken: 'a'.repeat(64),
    Priority: 10,
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/batch`,
    Description: 's3-encrypt copy',
    Operation: {
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::data-1',
        BucketKeyEnabled: true,
        StorageClass: 'STANDARD',
        MetadataDirective: 'COPY',
        ...copy,
      },
    },
    Report: {
      Bucket: 'arn:aws:s3:::reports',
      Format: 'Report_CSV_20180820',
      Enabled: true,
      ReportScope: 'FailedTasksOnly',
    },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: 'arn:aws:s3:::reports/m.csv', ETag: 'abc' },
    },
    ...over,
  };
}

const rules = (v: { path: string; rule: string }[]) => v.map((x) => `${x.path} ${x.rule}`);

describe('checkInput', () => {
  it('passes a CreateJob copy request the model accepts', () => {
    expect(checkInput('s3control', 'CreateJob', copyJob())).toEqual([]);
  });

  it("S3ObjectMetadata.SSEAlgorithm 'aws:kms' is an enum violation (the model says AES256 | KMS)", () => {
    const v = checkInput(
      's3control',
      'CreateJob',
      copyJob({}, { NewObjectMetadata: { SSEAlgorithm: 'aws:kms' } }),
    );
    expect(rules(v)).toEqual(['Operation.S3PutObjectCopy.NewObjectMetadata.SSEAlgorithm enum']);
    expect(v[0]?.message).toContain('AES256 | KMS');
  });

  it('a ClientRequestToken of 65 characters breaks max (1-64)', () => {
    expect(
      rules(checkInput('s3control', 'CreateJob', copyJob({ ClientRequestToken: 'a'.repeat(65) }))),
    ).toEqual(['ClientRequestToken max']);
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ ClientRequestToken: '' })))).toEqual([
      'ClientRequestToken min',
    ]);
  });

  it('a missing required member, nested or at the top', () => {
    const noReport = copyJob();
    delete noReport.Report;
    expect(rules(checkInput('s3control', 'CreateJob', noReport))).toEqual(['Report required']);
    const noEtag = copyJob({
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820' },
        Location: { ObjectArn: 'arn:aws:s3:::r/m' },
      },
    });
    expect(rules(checkInput('s3control', 'CreateJob', noEtag))).toEqual(['Manifest.Location.ETag required']);
  });

  it('a member the shape does not have', () => {
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({}, { SSEAlgorithm: 'aws:kms' })))).toEqual([
      'Operation.S3PutObjectCopy.SSEAlgorithm unknown-member',
    ]);
  });

  it('patterns: a role that is not an IAM role ARN, an account id that is not 12 digits', () => {
    expect(
      rules(checkInput('s3control', 'CreateJob', copyJob({ RoleArn: 'batch-role', AccountId: '12345' }))),
    ).toEqual(['AccountId pattern', 'RoleArn pattern']);
  });

  it('number ranges and types: Priority below 0, a string, a fraction', () => {
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ Priority: -1 })))).toEqual(['Priority min']);
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ Priority: '10' })))).toEqual([
      'Priority type',
    ]);
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ Priority: 1.5 })))).toEqual([
      'Priority type',
    ]);
  });

  it('types of structures, lists, booleans, timestamps and maps', () => {
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ Report: 'yes' })))).toEqual(['Report type']);
    expect(
      rules(
        checkInput(
          's3control',
          'CreateJob',
          copyJob({
            Manifest: {
              Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: 'Bucket' },
              Location: { ObjectArn: 'arn:aws:s3:::r/m', ETag: 'e' },
            },
          }),
        ),
      ),
    ).toEqual(['Manifest.Spec.Fields type']);
    expect(rules(checkInput('s3control', 'CreateJob', copyJob({ ConfirmationRequired: 'false' })))).toEqual([
      'ConfirmationRequired type',
    ]);
    expect(
      rules(checkInput('s3control', 'CreateJob', copyJob({}, { ModifiedSinceConstraint: 'yesterday' }))),
    ).toEqual(['Operation.S3PutObjectCopy.ModifiedSinceConstraint type']);
    expect(
      checkInput('s3control', 'CreateJob', copyJob({}, { ModifiedSinceConstraint: new Date() })),
    ).toEqual([]);
    expect(
      rules(checkInput('s3', 'CopyObject', { Bucket: 'b', Key: 'k', CopySource: 'b/k', Metadata: ['a'] })),
    ).toEqual(['Metadata type']);
    expect(
      checkInput('s3', 'CopyObject', { Bucket: 'b', Key: 'k', CopySource: 'b/k', Metadata: { a: '1' } }),
    ).toEqual([]);
  });

  it('list length: MatchAnyObjectEncryption takes exactly one filter, and a filter is a union', () => {
    const gen = (filters: unknown[]) =>
      copyJob({
        Manifest: undefined,
        ManifestGenerator: {
          S3JobManifestGenerator: {
            SourceBucket: 'arn:aws:s3:::data-1',
            EnableManifestOutput: false,
            Filter: { MatchAnyObjectEncryption: filters },
          },
        },
      });
    expect(checkInput('s3control', 'CreateJob', gen([{ NOTSSE: {} }]))).toEqual([]);
    expect(rules(checkInput('s3control', 'CreateJob', gen([{ NOTSSE: {} }, { SSES3: {} }])))).toEqual([
      'ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyObjectEncryption max',
    ]);
    expect(rules(checkInput('s3control', 'CreateJob', gen([{ NOTSSE: {}, SSES3: {} }])))).toEqual([
      'ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyObjectEncryption[0] union',
    ]);
  });

  it('UpdateObjectEncryption needs a full key ARN (the model pattern), not an alias or key id', () => {
    const input = (arn: string) => ({
      Bucket: 'b',
      Key: 'k',
      ObjectEncryption: { SSEKMS: { KMSKeyArn: arn, BucketKeyEnabled: true } },
    });
    expect(checkInput('s3', 'UpdateObjectEncryption', input(KEY_ARN))).toEqual([]);
    expect(rules(checkInput('s3', 'UpdateObjectEncryption', input('alias/my-app-key-name')))).toEqual([
      'ObjectEncryption.SSEKMS.KMSKeyArn pattern',
    ]);
    expect(rules(checkInput('s3', 'UpdateObjectEncryption', input('1234abcd')))).toEqual([
      'ObjectEncryption.SSEKMS.KMSKeyArn min',
      'ObjectEncryption.SSEKMS.KMSKeyArn pattern',
    ]);
  });

  it('S3: PutBucketEncryption, PutObjectTagging; KMS; STS', () => {
    const sse = (alg: string) => ({
      Bucket: 'b',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: alg, KMSMasterKeyID: KEY_ARN },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(checkInput('s3', 'PutBucketEncryption', sse('aws:kms'))).toEqual([]);
    expect(rules(checkInput('s3', 'PutBucketEncryption', sse('KMS')))).toEqual([
      'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm enum',
    ]);
    expect(
      rules(
        checkInput('s3', 'PutObjectTagging', { Bucket: 'b', Key: 'k', Tagging: { TagSet: [{ Key: 'a' }] } }),
      ),
    ).toEqual(['Tagging.TagSet[0].Value required']);
    expect(rules(checkInput('s3', 'HeadObject', { Bucket: 'b', Key: '' }))).toEqual(['Key min']);
    expect(checkInput('kms', 'DescribeKey', { KeyId: 'alias/app' })).toEqual([]);
    expect(rules(checkInput('kms', 'DescribeKey', {}))).toEqual(['KeyId required']);
    expect(rules(checkInput('kms', 'GetKeyPolicy', { KeyId: KEY_ARN, PolicyName: '!!!' }))).toEqual([
      'PolicyName pattern',
    ]);
    expect(checkInput('sts', 'GetCallerIdentity', {})).toEqual([]);
    expect(rules(checkInput('sts', 'GetCallerIdentity', { Account: ACCOUNT }))).toEqual([
      'Account unknown-member',
    ]);
  });

  it('an operation the model does not have is a violation, not a pass', () => {
    expect(rules(checkInput('s3control', 'CreateJobs', {}))).toEqual([' unknown-operation']);
  });
});

describe('the models', () => {
  it('without botocore installed: one clear error naming the fix', () => {
    expect(() => botocoreDataDir('/nonexistent/s3-encrypt')).toThrow(
      /AWS service models not found: no botocore in \/nonexistent\/s3-encrypt\/.venv-moto .*: run bash scripts\/ensure-setup.sh/,
    );
  });
});
