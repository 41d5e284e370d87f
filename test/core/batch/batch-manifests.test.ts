import { describe, expect, it } from 'vitest';
import {
  manifestColumns,
  parseManifestArg,
  batchManifestsOf,
  stripQuotes,
} from '../../../src/core/batch/batch-manifests.js';
import type { S3EncryptError } from '../../../src/core/errors.js';
import type { ManifestEntry, ManifestSummary } from '../../../src/core/inventory/manifest-summary.js';
import type { ResolvedKey } from '../../../src/core/kms/key.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const key: ResolvedKey = { id: KEY_ARN, shortId: '1234abcd-12ab-34cd-56ef-1234567890ab', checked: true };
const zero = { objects: 0, bytes: 0 };

function entry(over: Partial<ManifestEntry>): ManifestEntry {
  return {
    name: 'copy-STANDARD',
    group: 'copy',
    storageClass: 'STANDARD',
    location: 's3://my-reports/manifests/copy-STANDARD.csv',
    etag: '"3858f62230ac3c915f300c664312c11f"',
    versioned: false,
    objects: 10,
    bytes: 1000,
    ...over,
  };
}

function summary(manifests: ManifestEntry[], over: Partial<ManifestSummary> = {}): ManifestSummary {
  return {
    version: 1,
    sourceBucket: 'src-bucket',
    kmsKey: KEY_ARN,
    inventory: {
      manifest: 's3://inv/src-bucket/s3-encrypt/2026-05-01T01-00Z/manifest.json',
      date: '2026-05-01T01-00Z',
      creationTimestamp: '1777597200000',
    },
    createdAt: '2026-05-01T02:00:00.000Z',
    manifests,
    leftAlone: {},
    stats: {
      byEncryptionStatus: {},
      byStorageClass: {},
      large: zero,
      archived: zero,
      noncurrent: zero,
      noncurrentUnencrypted: zero,
      deleteMarkers: 0,
      kmsWithBucketKey: zero,
    },
    ...over,
  };
}

function thrown(f: () => unknown): S3EncryptError {
  try {
    f();
  } catch (e) {
    return e as S3EncryptError;
  }
  throw new Error('expected an error');
}

describe('batchManifestsOf', () => {
  it('makes one job per non-empty copy / update manifest and lists large and archived with advice', () => {
    const plan = batchManifestsOf(
      summary([
        entry({}),
        entry({
          name: 'copy-STANDARD_IA',
          storageClass: 'STANDARD_IA',
          location: 's3://my-reports/m/ia.csv',
        }),
        entry({ name: 'copy-ONEZONE_IA', storageClass: 'ONEZONE_IA', objects: 0, bytes: 0 }),
        entry({
          name: 'update-encryption',
          group: 'update-encryption',
          storageClass: undefined,
          location: 's3://my-reports/m/update.csv',
          versioned: true,
        }),
        entry({ name: 'large', group: 'large', storageClass: undefined, objects: 2, bytes: 7e9 }),
        entry({ name: 'archived', group: 'archived', storageClass: undefined, objects: 3, bytes: 30 }),
      ]),
      'src-bucket',
      key,
    );
    expect(plan.manifests.map((m) => [m.name, m.group, m.storageClass, m.versioned, m.etag])).toEqual([
      ['copy-STANDARD', 'copy', 'STANDARD', false, '3858f62230ac3c915f300c664312c11f'],
      ['copy-STANDARD_IA', 'copy', 'STANDARD_IA', false, '3858f62230ac3c915f300c664312c11f'],
      ['update-encryption', 'update-encryption', undefined, true, '3858f62230ac3c915f300c664312c11f'],
    ]);
    expect(plan.manifests[1]?.location).toEqual({ bucket: 'my-reports', key: 'm/ia.csv' });
    expect(plan.skipped.map((s) => [s.name, s.objects])).toEqual([
      ['large', 2],
      ['archived', 3],
    ]);
    expect(plan.skipped[0]?.reason).toContain(`s3-encrypt encrypt --bucket src-bucket --kms-key ${KEY_ARN}`);
    expect(plan.skipped[1]?.reason).toMatch(/restore them first/);
  });

  it('refuses a summary for another bucket or another key', () => {
    expect(thrown(() => batchManifestsOf(summary([entry({})]), 'other-bucket', key)).code).toBe(
      'SummaryBucketMismatch',
    );
    const other: ResolvedKey = {
      id: KEY_ARN.replace('1234abcd', 'ffffffff'),
      shortId: 'ffffffff',
      checked: true,
    };
    const err = thrown(() => batchManifestsOf(summary([entry({})]), 'src-bucket', other));
    expect(err.code).toBe('SummaryKeyMismatch');
    expect(err.exitCode).toBe(3);
  });

  it('refuses a local manifest, a versioned copy manifest and a class Batch cannot copy', () => {
    expect(
      thrown(() =>
        batchManifestsOf(summary([entry({ location: 'out/copy.csv', etag: null })]), 'src-bucket', key),
      ).code,
    ).toBe('ManifestNotInS3');
    expect(
      thrown(() => batchManifestsOf(summary([entry({ versioned: true })]), 'src-bucket', key)).code,
    ).toBe('VersionedCopyManifest');
    expect(
      thrown(() =>
        batchManifestsOf(summary([entry({ storageClass: 'REDUCED_REDUNDANCY' })]), 'src-bucket', key),
      ).code,
    ).toBe('UnsupportedStorageClass');
  });
});

describe('parseManifestArg', () => {
  it('takes s3://BUCKET/KEY,ETAG with plain, quoted or multipart ETags', () => {
    expect(parseManifestArg('s3://my-reports/m/copy.csv,3858f62230ac3c915f300c664312c11f')).toEqual({
      location: { bucket: 'my-reports', key: 'm/copy.csv' },
      etag: '3858f62230ac3c915f300c664312c11f',
    });
    expect(parseManifestArg('s3://my-reports/m/copy.csv,"3858f62230ac3c915f300c664312c11f-12"').etag).toBe(
      '3858f62230ac3c915f300c664312c11f-12',
    );
  });

  it('refuses a manifest without an ETag, without s3://, or without an object key', () => {
    const noEtag = thrown(() => parseManifestArg('s3://my-reports/m/copy.csv'));
    expect(noEtag.code).toBe('ManifestWithoutEtag');
    expect(noEtag.exitCode).toBe(2);
    expect(noEtag.oneLine()).toMatch(/has no ETag: write it as s3:\/\/BUCKET\/KEY,ETAG/);
    expect(thrown(() => parseManifestArg('s3://my-reports/m/copy.csv,latest')).code).toBe(
      'ManifestWithoutEtag',
    );
    expect(thrown(() => parseManifestArg('my-reports/m.csv,3858f62230ac3c915f300c664312c11f')).code).toBe(
      'InvalidS3Uri',
    );
    expect(thrown(() => parseManifestArg('s3://my-reports/,3858f62230ac3c915f300c664312c11f')).code).toBe(
      'InvalidS3Uri',
    );
  });
});

describe('manifestColumns', () => {
  it('counts 2 or 3 columns and refuses anything else, or an empty manifest', () => {
    expect(manifestColumns('src-bucket,a%20b', 'm')).toBe(2);
    expect(manifestColumns('src-bucket,a%20b,v1\r', 'm')).toBe(3);
    expect(thrown(() => manifestColumns('Bucket,Key,VersionId,IsLatest', 'm')).code).toBe('InvalidManifest');
    expect(thrown(() => manifestColumns('', 'm')).code).toBe('EmptyManifest');
  });

  it('strips ETag quotes', () => {
    expect(stripQuotes(' "abc" ')).toBe('abc');
  });
});
