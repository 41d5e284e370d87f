// S3JobManifestGenerator: the object list built from the source bucket itself (current versions,
// listed, each HEAD-ed for its encryption and storage class), filtered as the job's Filter says,
// and, with EnableManifestOutput, written as an S3InventoryReport_CSV_20211130 manifest:
// <ManifestPrefix>/job-<id>/manifest.json naming gzipped CSV data files (the inventory layout; the
// exact key layout AWS uses for generated manifests is unconfirmed).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JobManifestGenerator } from '@aws-sdk/client-s3-control';
import type { JobFailure } from './manifest.js';
import { bucketOfArn } from './rules.js';
import { errorOf } from './store.js';
import type { Task } from './tasks.js';

type Filter = NonNullable<NonNullable<JobManifestGenerator['S3JobManifestGenerator']>['Filter']>;

function encryptionMatches(filter: Filter, sse: string | undefined, kmsKey: string | undefined): boolean {
  const any = filter.MatchAnyObjectEncryption;
  if (!any?.length) return true;
  return any.some((f) => {
    if (f.NOTSSE) return sse === undefined;
    if (f.SSES3) return sse === 'AES256';
    if (f.SSEKMS) return sse === 'aws:kms' && (!f.SSEKMS.KmsKeyArn || f.SSEKMS.KmsKeyArn === kmsKey);
    if (f.DSSEKMS) return sse === 'aws:kms:dsse';
    return false;
  });
}

function keyMatches(filter: Filter, key: string): boolean {
  const c = filter.KeyNameConstraint;
  if (!c) return true;
  const ok = (list: string[] | undefined, test: (s: string) => boolean) => !list?.length || list.some(test);
  return (
    ok(c.MatchAnyPrefix, (p) => key.startsWith(p)) &&
    ok(c.MatchAnySuffix, (s) => key.endsWith(s)) &&
    ok(c.MatchAnySubstring, (s) => key.includes(s))
  );
}

export interface Generated {
  tasks: Task[];
  descriptor?: { Format: string; Location: { ObjectArn: string; ETag: string } };
}

export async function generateManifest(
  s3: S3Client,
  gen: JobManifestGenerator,
  jobId: string,
): Promise<Generated | { failure: JobFailure }> {
  const g = gen.S3JobManifestGenerator;
  const source = g?.SourceBucket ? bucketOfArn(g.SourceBucket) : undefined;
  if (!g || !source) {
    return {
      failure: { FailureCode: 'InvalidManifestGenerator', FailureReason: 'SourceBucket is not a bucket ARN' },
    };
  }
  const filter: Filter = g.Filter ?? {};
  const tasks: Task[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: source,
          ContinuationToken: token,
          ...(filter.KeyNameConstraint?.MatchAnyPrefix?.length === 1
            ? { Prefix: filter.KeyNameConstraint.MatchAnyPrefix[0] }
            : {}),
        }),
      );
      for (const o of page.Contents ?? []) {
        const key = o.Key ?? '';
        if (!keyMatches(filter, key)) continue;
        const size = o.Size ?? 0;
        if (filter.ObjectSizeGreaterThanBytes !== undefined && !(size > filter.ObjectSizeGreaterThanBytes))
          continue;
        if (filter.ObjectSizeLessThanBytes !== undefined && !(size < filter.ObjectSizeLessThanBytes))
          continue;
        const modified = o.LastModified;
        if (filter.CreatedAfter && modified && !(modified > filter.CreatedAfter)) continue;
        if (filter.CreatedBefore && modified && !(modified < filter.CreatedBefore)) continue;
        const head = await s3.send(new HeadObjectCommand({ Bucket: source, Key: key }));
        if (!encryptionMatches(filter, head.ServerSideEncryption, head.SSEKMSKeyId)) continue;
        const cls = head.StorageClass ?? 'STANDARD';
        if (filter.MatchAnyStorageClass?.length && !filter.MatchAnyStorageClass.includes(cls as never))
          continue;
        // URL-encoded as manifests are; '/' kept (how AWS encodes it here is unconfirmed)
        tasks.push({ bucket: source, rawKey: encodeURIComponent(key).replace(/%2F/g, '/'), key });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (err) {
    const e = errorOf(err);
    return {
      failure: {
        FailureCode: 'ManifestGenerationFailed',
        FailureReason: `${e.code} (${e.status}): ${e.message}`,
      },
    };
  }
  if (!g.EnableManifestOutput || !g.ManifestOutputLocation?.Bucket) return { tasks };
  const out = g.ManifestOutputLocation;
  const outBucket = bucketOfArn(out.Bucket ?? '') ?? '';
  const base = [out.ManifestPrefix?.replace(/\/+$/, ''), `job-${jobId}`].filter(Boolean).join('/');
  const csv = tasks.map((t) => `"${t.bucket}","${t.rawKey}"`).join('\n') + (tasks.length ? '\n' : '');
  const data = gzipSync(Buffer.from(csv));
  const dataKey = `${base}/data/${createHash('sha1').update(jobId).digest('hex')}.csv.gz`;
  const sse = out.ManifestEncryption?.SSEKMS
    ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: out.ManifestEncryption.SSEKMS.KeyId }
    : { ServerSideEncryption: 'AES256' as const };
  try {
    await s3.send(new PutObjectCommand({ Bucket: outBucket, Key: dataKey, Body: data, ...sse }));
    const manifest = JSON.stringify({
      sourceBucket: source,
      destinationBucket: out.Bucket,
      version: '2021-11-30',
      creationTimestamp: String(Date.now()),
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key',
      files: [{ key: dataKey, size: data.length, MD5checksum: createHash('md5').update(data).digest('hex') }],
    });
    const put = await s3.send(
      new PutObjectCommand({ Bucket: outBucket, Key: `${base}/manifest.json`, Body: manifest, ...sse }),
    );
    return {
      tasks,
      descriptor: {
        Format: out.ManifestFormat ?? 'S3InventoryReport_CSV_20211130',
        Location: {
          ObjectArn: `arn:aws:s3:::${outBucket}/${base}/manifest.json`,
          ETag: (put.ETag ?? '').replace(/"/g, ''),
        },
      },
    };
  } catch (err) {
    const e = errorOf(err);
    return {
      failure: {
        FailureCode: 'ManifestOutputFailed',
        FailureReason: `${e.code} (${e.status}): ${e.message}`,
      },
    };
  }
}
