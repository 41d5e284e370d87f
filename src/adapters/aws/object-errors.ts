import { StoreError, type StoreErrorKind } from '../../core/encrypt/store-error.js';
import { isRunStop, type S3EncryptError } from '../../core/errors.js';
import { errorCode, errorName, httpStatus, mapAwsError, type CallContext } from './errors.js';
import { stopOn } from './head-proof.js';

const THROTTLE = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'KMS.ThrottlingException',
  'KMS.LimitExceededException',
]);
const TRANSIENT = new Set([
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'OperationAborted',
  'KMS.InternalException',
  'KMS.KMSInternalException',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);
// Proof of absence comes from an error document's code; a bare 404 (the SDK names it NotFound)
// proves nothing and is `unverified`.
const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchVersion']);
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'UnsupportedOperation', 'InvalidAction']);

interface Raw {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function networkCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const c = cur as Raw & { errors?: unknown[] };
    if (typeof c.code === 'string' && NETWORK.has(c.code)) return c.code;
    for (const inner of c.errors ?? []) {
      const code = (inner as Raw | undefined)?.code;
      if (typeof code === 'string' && NETWORK.has(code)) return code;
    }
    cur = c.cause;
  }
  return undefined;
}

/** Classify an SDK failure for the engine: its retry, re-read and fallback rules key on `kind`. */
export function classifyStoreError(err: unknown): {
  kind: StoreErrorKind;
  code: string;
  status?: number | undefined;
} {
  const name = errorName(err) ?? 'Error';
  const status = httpStatus(err);
  const message = (err as Raw | undefined)?.message ?? '';
  const net = networkCode(err);
  if (net) return { kind: 'transient', code: net, status };
  if (THROTTLE.has(name) || status === 503 || status === 429 || /throttl/i.test(name))
    return { kind: 'throttle', code: name, status };
  if (
    name === 'PreconditionFailed' ||
    status === 412 ||
    name === 'ConditionalRequestConflict' ||
    status === 409
  )
    return { kind: 'precondition', code: name, status };
  // A retried Complete whose first attempt succeeded, or an upload aborted under us: re-read the object.
  if (name === 'NoSuchUpload') return { kind: 'precondition', code: name, status };
  if (NOT_FOUND.has(name)) return { kind: 'not-found', code: name, status };
  if (status === 404) return { kind: 'unverified', code: name, status };
  if (name === 'ObjectNotInActiveTierError' || name === 'InvalidObjectState')
    return { kind: 'archived', code: name, status };
  if (UNSUPPORTED.has(name) || status === 501 || status === 405)
    return { kind: 'unsupported', code: name, status };
  if (/copy an object to itself/i.test(message)) return { kind: 'self-copy', code: name, status };
  if (
    TRANSIENT.has(name) ||
    (status !== undefined && status >= 500) ||
    /socket hang up|timed? ?out/i.test(message)
  )
    return { kind: 'transient', code: name, status };
  if (name === 'AccessDenied' || status === 403) return { kind: 'denied', code: name, status };
  if (status === 400) return { kind: 'invalid', code: name, status };
  return { kind: 'fatal', code: name, status };
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
