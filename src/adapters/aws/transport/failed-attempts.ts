import type { S3Client, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware } from '@smithy/types';

/** Told of one failed attempt of a request (the thrown error), whether the SDK retries it or not. */
export type FailedAttemptListener = (error: unknown) => void;

/**
 * Per request, not per client: the shared S3 client caches its resolved middleware per command
 * class (clients.ts, `cacheMiddleware`), so a command's own middleware would not be used. The
 * listener rides on the command's input instead: the middlewares that copy the input spread it,
 * which keeps a symbol-keyed property, and the serializers read only the operation's members.
 */
const LISTENER = Symbol('s3-encrypt.failedAttempt');

/** `input` with `listener` attached (the input itself when there is none). */
export function withFailedAttemptListener<T extends object>(
  input: T,
  listener: FailedAttemptListener | undefined,
): T {
  return listener ? { ...input, [LISTENER]: listener } : input;
}

/**
 * Below the client's retry middleware, so it sees every attempt: the SDK retries 503s and
 * resets on its own, and a caller that paces itself (verify --live's adaptive limit) must hear
 * of each, not only of the error that is left when the retries run out.
 */
export function reportFailedAttempts(client: S3Client): S3Client {
  const middleware: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        (args.input as { [LISTENER]?: FailedAttemptListener })[LISTENER]?.(err);
        throw err;
      }
    };
  client.middlewareStack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'reportFailedAttempts',
  });
  return client;
}
