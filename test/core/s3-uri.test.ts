import { describe, expect, it } from 'vitest';
import { S3EncryptError } from '../../src/core/errors.js';
import {
  bucketArn,
  cleanPrefix,
  formatS3Uri,
  isS3Uri,
  joinKey,
  objectArn,
  parseS3Uri,
} from '../../src/core/s3-uri.js';

describe('parseS3Uri', () => {
  it('splits bucket and key, keeping the key exactly as typed', () => {
    expect(parseS3Uri('s3://my-reports/batch/run 1/', '--report')).toEqual({
      bucket: 'my-reports',
      key: 'batch/run 1/',
    });
    expect(parseS3Uri('s3://my-reports', '--report')).toEqual({ bucket: 'my-reports', key: '' });
    expect(parseS3Uri('  S3://my.reports/x  ', '--report')).toEqual({ bucket: 'my.reports', key: 'x' });
  });

  it('refuses a value without s3:// with a usage error naming the flag', () => {
    const err = (() => {
      try {
        parseS3Uri('my-reports/batch', '--report');
      } catch (e) {
        return e;
      }
    })() as S3EncryptError;
    expect(err).toBeInstanceOf(S3EncryptError);
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('InvalidS3Uri');
    expect(err.oneLine()).toContain('--report "my-reports/batch" is not an s3:// URI');
  });

  it('refuses an invalid bucket name', () => {
    expect(() => parseS3Uri('s3://My_Bucket/x', '--destination')).toThrow(/does not name a valid bucket/);
    expect(() => parseS3Uri('s3:///x', '--destination')).toThrow(/does not name a valid bucket/);
  });
});

describe('helpers', () => {
  it('formats, joins and builds ARNs', () => {
    expect(formatS3Uri({ bucket: 'b1b', key: 'a/b' })).toBe('s3://b1b/a/b');
    expect(isS3Uri('s3://x')).toBe(true);
    expect(isS3Uri('/tmp/x')).toBe(false);
    expect(cleanPrefix('/inv/')).toBe('inv');
    expect(cleanPrefix(undefined)).toBe('');
    expect(joinKey('', 'inv/', '/src', 'id')).toBe('inv/src/id');
    expect(bucketArn('b1b')).toBe('arn:aws:s3:::b1b');
    expect(objectArn({ bucket: 'b1b', key: 'm/x.csv' })).toBe('arn:aws:s3:::b1b/m/x.csv');
  });
});
