// --manifest s3://BUCKET/KEY,ETAG as pasted: an ETag in upper case (or with spaces around it) is
// the same ETag. It used to be compared as typed, so create-job said "the manifest was rewritten
// since" about an untouched manifest, and would have sent Batch an ETag S3 never gives.
import { describe, expect, it } from 'vitest';
import { parseManifestArg } from '../../../src/core/batch/batch-manifests.js';

describe('parseManifestArg: the ETag as S3 writes it', () => {
  it.each([
    's3://my-reports/m/copy.csv,A82407744369415BA08A37CFE93D6E24',
    's3://my-reports/m/copy.csv,"A82407744369415ba08a37cfe93d6e24"',
    's3://my-reports/m/copy.csv, a82407744369415ba08a37cfe93d6e24 ',
  ])('%s', (arg) => {
    expect(parseManifestArg(arg)).toEqual({
      location: { bucket: 'my-reports', key: 'm/copy.csv' },
      etag: 'a82407744369415ba08a37cfe93d6e24',
    });
  });

  it('a multipart ETag keeps its part count', () => {
    expect(parseManifestArg('s3://my-reports/m.csv,0123456789ABCDEF0123456789ABCDEF-12').etag).toBe(
      '0123456789abcdef0123456789abcdef-12',
    );
  });
});
