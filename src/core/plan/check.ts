import { S3EncryptError } from '../errors.js';

/** PASS: nothing to do. WARN: works, but read the advice first. FAIL: the migration will break something. */
export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

/** One line of the preflight checklist: a finding, and what to do about it. */
export interface Check {
  id: string;
  status: CheckStatus;
  title: string;
  detail: string;
  advice: string;
}

export const pass = (id: string, title: string, detail: string, advice: string): Check => ({
  id,
  status: 'PASS',
  title,
  detail,
  advice,
});
export const warn = (id: string, title: string, detail: string, advice: string): Check => ({
  id,
  status: 'WARN',
  title,
  detail,
  advice,
});
export const fail = (id: string, title: string, detail: string, advice: string): Check => ({
  id,
  status: 'FAIL',
  title,
  detail,
  advice,
});

/**
 * Errors that mean the whole run is pointless (wrong bucket, no network, bad credentials): they
 * stop plan with the normal one-line error instead of turning into a checklist line.
 */
const FATAL = new Set([
  'NoSuchBucket',
  'Unreachable',
  'NoCredentials',
  'BadCredentials',
  'WrongRegion',
  'UnknownKey',
  'InvalidKeyRef',
  'Interrupted',
]);

export type Fact<T> = { ok: true; value: T } | { ok: false; check: Check };

export interface FactSource {
  /** The check this fact feeds; a read failure becomes that check's WARN line. */
  id: string;
  title: string;
  /** The IAM action the read needs, named in the WARN when it is denied. */
  action: string;
  /** Where the action applies, e.g. "bucket my-bucket" or "key arn:...". */
  on: string;
}

/**
 * Read one fact for a check. A denied read becomes a WARN naming the missing permission, and any
 * other service failure a WARN saying the check was skipped, so one unreadable setting never hides
 * the rest of the checklist.
 */
export async function readFact<T>(src: FactSource, read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    if (!(err instanceof S3EncryptError) || FATAL.has(err.code)) throw err;
    if (err.code === 'AccessDenied') {
      return {
        ok: false,
        check: warn(
          src.id,
          src.title,
          `not checked: access denied for ${src.action} on ${src.on}`,
          `grant ${src.action} to run this check ('s3-encrypt policy --for operator' prints the statement)`,
        ),
      };
    }
    return {
      ok: false,
      check: warn(
        src.id,
        src.title,
        `not checked: ${src.action} failed (${err.code}: ${err.message})`,
        'retry; if the store does not support this API (S3-compatible servers), check the setting by hand',
      ),
    };
  }
}

export function worst(checks: readonly Check[]): CheckStatus {
  if (checks.some((c) => c.status === 'FAIL')) return 'FAIL';
  if (checks.some((c) => c.status === 'WARN')) return 'WARN';
  return 'PASS';
}
