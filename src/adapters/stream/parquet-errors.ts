import { PreconditionError, S3EncryptError } from '../../core/errors.js';

/** How reading a Parquet inventory file fails: every error names the file. */

const DAMAGED = 'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one';

export function corrupt(message: string, cause?: unknown): PreconditionError {
  return new PreconditionError(
    'InventoryFileCorrupt',
    message,
    DAMAGED,
    cause === undefined ? {} : { cause },
  );
}

export function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

/** Ours and aborts pass through; a decoder's error becomes one line naming the file. */
export function parquetError(err: unknown, file: string): unknown {
  if (err instanceof S3EncryptError) return err;
  const e = err as { name?: string; message?: string };
  if (e.name === 'AbortError') return err;
  if (err instanceof Error && !('$metadata' in err) && !('code' in err)) {
    return corrupt(
      `${file} is not a Parquet file s3-encrypt can read (${e.message?.split('\n')[0] ?? 'unknown error'})`,
      err,
    );
  }
  return err;
}
