import { describe, expect, it } from 'vitest';
import type { TaskResult } from '../../../src/core/batch/completion-report.js';
import { encodeManifestKey } from '../../../src/core/inventory/keys.js';
import {
  manifestKeyFromReport,
  manifestVersionFromReport,
  RetryManifestBuilder,
} from '../../../src/core/batch/retry-manifest.js';

const failed = (key: string, over: Partial<TaskResult> = {}): TaskResult => ({
  bucket: 'src-bucket',
  key,
  status: 'failed',
  errorCode: 'SlowDown',
  httpStatus: 503,
  ...over,
});

describe('manifest key encoding', () => {
  it("matches AWS's example: space as %20, slashes kept", () => {
    expect(encodeManifestKey('object key with spaces')).toBe('object%20key%20with%20spaces');
    expect(encodeManifestKey('photos/jpgs/objectkey4')).toBe('photos/jpgs/objectkey4');
  });

  it('encodes characters that would break a CSV row or be misread as a space', () => {
    expect(encodeManifestKey('a,b+c%d\u00e9\n')).toBe('a%2Cb%2Bc%25d%C3%A9%0A');
  });

  it('gives the manifest form whether the report key is encoded or raw', () => {
    expect(manifestKeyFromReport('dir/object%20key%2Bplus')).toBe('dir/object%20key%2Bplus');
    expect(manifestKeyFromReport('dir/object key+plus')).toBe('dir/object%20key%2Bplus');
    // A raw key with a stray % cannot be decoded: it is encoded as it stands.
    expect(manifestKeyFromReport('100%')).toBe('100%25');
  });

  it('round-trips version ids the same way', () => {
    expect(manifestVersionFromReport('3HL4kqtJvjVBH40Nrjfkd')).toBe('3HL4kqtJvjVBH40Nrjfkd');
    expect(manifestVersionFromReport('a+b/c')).toBe('a%2Bb%2Fc');
    expect(manifestVersionFromReport('a%2Bb%2Fc')).toBe('a%2Bb%2Fc');
  });
});

describe('RetryManifestBuilder', () => {
  it('writes one bucket,key row per failed task, no header, and ignores succeeded rows', () => {
    const b = new RetryManifestBuilder();
    b.add(failed('a b.txt'));
    b.add(failed('dir/c.txt'));
    b.add({ ...failed('ok.txt'), status: 'succeeded' });
    expect(b.build()).toEqual({
      csv: 'src-bucket,a%20b.txt\nsrc-bucket,dir/c.txt\n',
      rows: 2,
      versioned: false,
      gone: 0,
      droppedVersionIds: false,
    });
  });

  it('keeps version ids when every row has one', () => {
    const b = new RetryManifestBuilder();
    b.add(failed('a', { versionId: 'v1' }));
    b.add(failed('b', { versionId: 'null' }));
    expect(b.build().csv).toBe('src-bucket,a,v1\nsrc-bucket,b,null\n');
    expect(b.build().versioned).toBe(true);
  });

  it('drops version ids for all rows when only some have one (Batch needs all or none)', () => {
    const b = new RetryManifestBuilder();
    b.add(failed('a', { versionId: 'v1' }));
    b.add(failed('b'));
    expect(b.build()).toMatchObject({
      csv: 'src-bucket,a\nsrc-bucket,b\n',
      versioned: false,
      droppedVersionIds: true,
    });
  });

  it('leaves out objects that no longer exist, and counts them', () => {
    const b = new RetryManifestBuilder();
    b.add(failed('gone1', { errorCode: 'NoSuchKey', httpStatus: 404 }));
    b.add(failed('gone2', { errorCode: undefined, httpStatus: 404 }));
    b.add(failed('retry'));
    // A bare 404 names no code: not proof that the object is gone, so it is retried.
    expect(b.build()).toMatchObject({ csv: 'src-bucket,gone2\nsrc-bucket,retry\n', rows: 2, gone: 1 });
  });

  it('is empty text when nothing failed', () => {
    expect(new RetryManifestBuilder().build()).toMatchObject({ csv: '', rows: 0 });
  });
});
