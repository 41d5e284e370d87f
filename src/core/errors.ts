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

export function isS3EncryptError(e: unknown): e is S3EncryptError {
  return e instanceof S3EncryptError;
}
