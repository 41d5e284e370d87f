import { S3EncryptError } from '../errors.js';
import type { AuditProblem } from './records.js';

/**
 * Errors that stop the whole audit: the user's interrupt, and a store that cannot be reached
 * (every further bucket would say the same). Everything else about one bucket or one account is
 * a problem on its row, never an abort.
 */
const STOPS = new Set(['Interrupted', 'Unreachable']);

export type Read<T> = { ok: true; value: T } | { ok: false; problem: AuditProblem };

/** Run one read; a failure becomes a problem naming the IAM action (the one the error names, when it does). */
export async function attempt<T>(action: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    return { ok: false, problem: problemOf(action, err) };
  }
}

function problemOf(action: string, err: unknown): AuditProblem {
  if (!(err instanceof S3EncryptError) || STOPS.has(err.code)) throw err;
  // adapters/aws/transport/errors.ts words a denial "access denied: ACTION on WHERE": that action is the
  // one to grant (a delivery read may be refused its listing or its GetObject).
  const named = err.code === 'AccessDenied' ? /access denied: (\S+) on /.exec(err.message)?.[1] : undefined;
  return { action: named ?? action, code: err.code, message: err.message };
}

export function deniedActions(problems: readonly AuditProblem[]): string[] {
  return [...new Set(problems.filter((p) => p.code === 'AccessDenied').map((p) => p.action))];
}
