import { ExitCode } from './exit-codes.js';

/**
 * Every error a user can see. `message` names the problem, `hint` names the fix; the error
 * handler prints them on one line. `code` is stable and appears in --json output.
 */
export class S3EncryptError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    hint: string | undefined,
    exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
    this.exitCode = exitCode;
  }

  /** The one line the user sees: problem, then fix. */
  oneLine(): string {
    const text = this.hint ? `${this.message}: ${this.hint}` : this.message;
    return text.replace(/\s*\n\s*/g, ' ');
  }
}

/** Bad flags or input the user can correct by changing the command line (exit 2). */
export class UsageError extends S3EncryptError {
  constructor(message: string, hint?: string, code = 'Usage', options?: { cause?: unknown }) {
    super(code, message, hint, ExitCode.USAGE, options);
  }
}

/** The world is not in a state where the work is safe or possible (exit 3). */
export class PreconditionError extends S3EncryptError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, message, hint, ExitCode.PRECONDITION, options);
  }
}

/** A service call failed after the SDK's retries (exit 4). */
export class ServiceError extends S3EncryptError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, message, hint, ExitCode.SERVICE, options);
  }
}

/** The user interrupted the run (exit 130). */
export class InterruptedError extends S3EncryptError {
  constructor(message = 'interrupted', hint?: string) {
    super('Interrupted', message, hint, ExitCode.INTERRUPTED);
  }
}

/**
 * The store answered about one object but proved nothing: a body-less 404, 400 or 403 that a
 * second look did not explain, a 5xx or throttle after retries, a 200 without the headers every
 * HEAD carries. Never a verdict: the object is counted `unverified`, and the run cannot pass.
 */
export class UnverifiedObjectError extends ServiceError {
  readonly status: number | undefined;
  constructor(reason: string, opts: { status?: number | undefined; code?: string; cause?: unknown } = {}) {
    super(
      opts.code ?? 'Unverified',
      reason,
      'run again; if it persists, check the endpoint and the permissions',
      {
        cause: opts.cause,
      },
    );
    this.status = opts.status;
  }
}

/**
 * A refusal that makes every further request of the run pointless or misleading (expired or
 * rejected credentials, a skewed clock, the bucket gone, no object answered at all): the run
 * stops at once instead of tallying objects it cannot see.
 */
export class RunStopError extends S3EncryptError {}

export function isRunStop(e: unknown): e is RunStopError {
  return e instanceof RunStopError;
}
