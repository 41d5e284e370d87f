// RESULTS.md names each side's operations from these counts: the classifier must name S3's
// operations the way S3 does, from method, path, query and headers alone.
import { describe, expect, it } from 'vitest';
import { operationOf } from '../../bench/lib/count-proxy.mjs';

describe('operationOf', () => {
  it.each([
    ['GET', '/b?list-type=2&prefix=a', {}, 'ListObjectsV2'],
    ['GET', '/b?location', {}, 'GetBucketLocation'],
    ['GET', '/b?ownershipControls', {}, 'GetBucketOwnershipControls'],
    ['GET', '/b?uploads&prefix=k', {}, 'ListMultipartUploads'],
    ['GET', '/b?versions', {}, 'ListObjectVersions'],
    ['HEAD', '/b', {}, 'HeadBucket'],
    ['HEAD', '/b/dir/k%20x', {}, 'HeadObject'],
    ['PUT', '/b/k', { 'x-amz-copy-source': '/b/k' }, 'CopyObject'],
    ['PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': 'b/k' }, 'UploadPartCopy'],
    ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload'],
    ['POST', '/b/k?uploadId=u', {}, 'CompleteMultipartUpload'],
    ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', '/b/k?acl', {}, 'GetObjectAcl'],
    ['PUT', '/b/k?acl', {}, 'PutObjectAcl'],
    ['GET', '/b/k?tagging', {}, 'GetObjectTagging'],
    ['PUT', '/b/k', {}, 'PutObject'],
    ['POST', '/', { 'x-amz-target': 'TrentService.DescribeKey' }, 'KMS DescribeKey'],
  ])('%s %s -> %s', (method, url, headers, op) => {
    expect(operationOf(method, url, headers)).toBe(op);
  });
});
