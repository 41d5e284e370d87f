// The rules of S3 Batch Operations this service applies, each where AWS documents it, kept pure
// so unit tests can hold each one on its own.

/**
 * "When a job has run at least 1,000 tasks, Amazon S3 monitors the task failure rate. At any
 * point, if the failure rate (the number of tasks that have failed as a proportion of the total
 * number of tasks that have run) exceeds 50 percent, the job fails." (UG batch-ops-job-status.html,
 * "Tracking job failures")
 */
const FAILURE_MONITOR_AFTER = 1000;
export function pastFailureThreshold(run: number, failed: number): boolean {
  return run >= FAILURE_MONITOR_AFTER && failed * 2 > run;
}

/**
 * Manifest keys are URL-encoded (UG batch-ops-create-job.html: "Object keys must be URL-encoded").
 * A key that does not decode (a stray '%', a bad escape, bytes that are not UTF-8) is invalid
 * manifest content: `undefined`.
 */
export function decodeManifestKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** ETags compare without their quotes (the CLI and the console pass them either way). */
export function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, '') === b.replace(/"/g, '');
}

/** `arn:aws:s3:::bucket/key` -> bucket and key (the key as written: ARNs carry it unencoded). */
export function parseObjectArn(arn: string): { bucket: string; key: string } | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)\/(.+)$/.exec(arn);
  return m?.[1] && m[2] ? { bucket: m[1], key: m[2] } : undefined;
}

export function bucketOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/]+)$/.exec(arn)?.[1];
}

/** Same input, field by field, ignoring key order (idempotency compares requests, not bytes). */
export function canonical(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
