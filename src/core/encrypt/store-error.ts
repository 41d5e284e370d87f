import { ServiceError } from '../errors.js';
import { RETRIED, type FailureClass } from '../failure.js';

/**
 * What went wrong with one store call, in the terms the engine acts on (the classes of
 * core/failure.ts, with the retried ones that the engine treats alike folded into `transient`):
 * - throttle: SlowDown / 503 / KMS throttling: back off, and shrink the in-flight limit;
 * - transient: 500/502/504, connection resets, timeouts: back off and retry;
 * - precondition: 412 / 409 conditional conflict: the object changed since it was read;
 * - not-found: 404 (object or version gone);
 * - unsupported: the store does not implement the operation (501, 405, unknown op);
 * - self-copy: the store refuses an in-place copy as 'copy to itself' (it ignores our encryption change);
 * - archived: the object must be restored before it can be copied;
 * - invalid: 400 the request was refused as such (e.g. Object Lock forbids UpdateObjectEncryption);
 * - denied: 403 AccessDenied;
 * - unverified: the store answered about an object without proving anything (see head-proof.ts);
 * - fatal: anything else.
 */
export type StoreErrorKind =
  | 'throttle'
  | 'transient'
  | 'precondition'
  | 'not-found'
  | 'unsupported'
  | 'self-copy'
  | 'archived'
  | 'invalid'
  | 'denied'
  | 'unverified'
  | 'fatal';

export class StoreError extends ServiceError {
  readonly kind: StoreErrorKind;
  readonly status: number | undefined;
  /** The store's error code (e.g. SlowDown, NoSuchKey). */
  readonly awsCode: string;

  constructor(
    kind: StoreErrorKind,
    awsCode: string,
    message: string,
    opts: { status?: number | undefined; hint?: string | undefined; cause?: unknown } = {},
  ) {
    super(awsCode, message, opts.hint ?? 'retry; run with --verbose for the request id', {
      cause: opts.cause,
    });
    this.kind = kind;
    this.status = opts.status;
    this.awsCode = awsCode;
  }
}

export function isStoreError(e: unknown, ...kinds: StoreErrorKind[]): e is StoreError {
  return e instanceof StoreError && (kinds.length === 0 || kinds.includes(e.kind));
}

/** The engine's kind of each failure class (adapters/aws/transport/failure-class.ts decides the class). */
export const KIND_OF: Readonly<Record<FailureClass, StoreErrorKind>> = {
  interrupted: 'fatal',
  timeout: 'transient',
  network: 'transient',
  throttled: 'throttle',
  server: 'transient',
  precondition: 'precondition',
  'not-found': 'not-found',
  unverified: 'unverified',
  archived: 'archived',
  unsupported: 'unsupported',
  'self-copy': 'self-copy',
  denied: 'denied',
  invalid: 'invalid',
  unknown: 'fatal',
};

/** The kinds of the retried classes (core/failure.ts RETRIED): throttle and transient. */
const RETRIED_KINDS: readonly StoreErrorKind[] = [...RETRIED].map((c) => KIND_OF[c]);

/** Whether the engine asks again: the kind's failure class is one core/failure.ts retries. */
export function isRetryable(e: unknown): boolean {
  return isStoreError(e, ...RETRIED_KINDS);
}
