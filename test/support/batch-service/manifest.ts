// Preparing a job: the manifest object read by its ARN, checked as AWS checks it, and its lines
// turned into tasks.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JobManifest } from '@aws-sdk/client-s3-control';
import { parse } from 'csv-parse/sync';
import { decodeManifestKey, parseObjectArn, sameEtag } from './rules.js';
import { errorOf } from './store.js';
import type { Task } from './tasks.js';

export interface JobFailure {
  FailureCode: string;
  FailureReason: string;
}

export type Prepared = { tasks: Task[] } | { failure: JobFailure };

// FailureCode/FailureReason texts: AWS's troubleshooting page names InvalidManifestContent ("Invalid
// Manifest Content"); the exact code AWS gives an ETag mismatch or an SSE-KMS manifest was not found
// in AWS's documents (unconfirmed), so these say what happened in AWS's words where known.
const invalid = (reason: string): { failure: JobFailure } => ({
  failure: { FailureCode: 'InvalidManifestContent', FailureReason: reason },
});

export async function readManifest(s3: S3Client, manifest: JobManifest): Promise<Prepared> {
  const loc = manifest.Location;
  const arn = loc?.ObjectArn ? parseObjectArn(loc.ObjectArn) : undefined;
  if (!loc || !arn) return invalid(`Invalid manifest location: ${loc?.ObjectArn ?? '(none)'}`);
  let text: string;
  let etag: string;
  let sse: string | undefined;
  try {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: arn.bucket, Key: arn.key, VersionId: loc.ObjectVersionId }),
    );
    text = (await out.Body?.transformToString('utf-8')) ?? '';
    etag = out.ETag ?? '';
    sse = out.ServerSideEncryption;
  } catch (err) {
    const e = errorOf(err);
    return {
      failure: {
        FailureCode: e.status === 404 ? 'ManifestNotFound' : 'ManifestReadFailed',
        FailureReason: `Reading the manifest failed: ${e.code} (${e.status}): ${e.message}`,
      },
    };
  }
  // Batch reads manifests encrypted with SSE-S3 only (the CLI's create-job refuses SSE-KMS ones
  // for the same reason: UG batch-ops-create-job.html, manifest requirements).
  if (sse === 'aws:kms' || sse === 'aws:kms:dsse') {
    return {
      failure: {
        FailureCode: 'ManifestEncryptionNotSupported',
        FailureReason: `The manifest ${loc.ObjectArn} is encrypted with ${sse}; Batch Operations reads manifests that are unencrypted or SSE-S3 only`,
      },
    };
  }
  if (!loc.ETag || !sameEtag(etag, loc.ETag)) {
    return {
      failure: {
        FailureCode: 'ManifestETagMismatch',
        FailureReason: `The ETag of the manifest object (${etag.replace(/"/g, '')}) does not match the ETag in the job (${loc.ETag ?? ''})`,
      },
    };
  }
  const fields = manifest.Spec?.Fields ?? [];
  if (manifest.Spec?.Format !== 'S3BatchOperations_CSV_20180820') {
    return invalid(`Manifest format ${manifest.Spec?.Format ?? '(none)'} is not run by this local service`);
  }
  const missing = ['Bucket', 'Key'].filter((f) => !fields.includes(f as never));
  if (missing.length) return invalid(`Required fields are missing in the schema: ${missing.join(', ')}`);
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (err) {
    return invalid(`Invalid Manifest Content: ${(err as Error).message}`);
  }
  const at = (name: string) => fields.indexOf(name as never);
  const tasks: Task[] = [];
  for (const [i, row] of rows.entries()) {
    if (row.length !== fields.length) {
      return invalid(
        `Invalid Manifest Content: line ${i + 1} has ${row.length} fields, the spec names ${fields.length}`,
      );
    }
    const rawKey = row[at('Key')] ?? '';
    const key = decodeManifestKey(rawKey);
    if (key === undefined || key === '') {
      return invalid(
        `Invalid Manifest Content: line ${i + 1}: the key ${JSON.stringify(rawKey)} is not URL-encoded`,
      );
    }
    const v = at('VersionId') >= 0 ? row[at('VersionId')] : undefined;
    tasks.push({ bucket: row[at('Bucket')] ?? '', rawKey, key, ...(v ? { versionId: v } : {}) });
  }
  return { tasks };
}
