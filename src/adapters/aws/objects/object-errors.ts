import { KIND_OF, StoreError, type StoreErrorKind } from '../../../core/encrypt/store-error.js';
import { isRunStop, type S3EncryptError } from '../../../core/errors.js';
import { errorCode, mapAwsError, type CallContext } from '../transport/errors.js';
import { classifyFailure } from '../transport/failure-class.js';
import { stopOn } from './head-proof.js';

/**
 * Classify an SDK failure for the engine: its retry, re-read and fallback rules key on `kind`,
 * the engine's view of the one failure class (failure-class.ts, core/encrypt/store-error.ts KIND_OF).
 */
export function classifyStoreError(err: unknown): {
  kind: StoreErrorKind;
  code: string;
  status?: number | undefined;
} {
  const f = classifyFailure(err);
  return { kind: KIND_OF[f.class], code: f.code, status: f.status };
}

/**
 * One engine call: a single attempt (the engine retries), failures as StoreError whose message
 * and hint come from the project's error mapping (AccessDenied names the IAM action).
 */
export async function storeCall<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw storeError(ctx, err);
  }
}

/** A failed engine call as the engine sees it: StoreError, or RunStopError when the run must end. */
export function storeError(ctx: CallContext, err: unknown): Error {
  if (err instanceof StoreError || isRunStop(err)) return err;
  // Refused credentials, a skewed clock, the bucket gone: no later request of the run can pass.
  const code = errorCode(err);
  if (code !== undefined && ctx.bucket !== undefined) stopOn(code, ctx.bucket, ctx.key, err);
  const c = classifyStoreError(err);
  const mapped: S3EncryptError = mapAwsError(err, ctx);
  return new StoreError(c.kind, c.code, mapped.message, { status: c.status, hint: mapped.hint, cause: err });
}
