/**
 * How long one request may wait for the network, for every client (the SDK clients' handler in
 * http-handler.ts and the lean path's transport in lean-send.ts), and the errors a wait that ran
 * out, or a request cut short by Ctrl-C, becomes.
 */
export interface RequestLimits {
  /** TCP connect. */
  connectMs: number;
  /** Request sent to response headers, for requests a server answers at once. */
  responseMs: number;
  /**
   * Silence allowed once the headers arrived (a body that stalls), and the wait for the headers
   * of requests a server may legitimately hold while it works (see mayAnswerLate).
   */
  idleMs: number;
}

/**
 * Why these numbers: a command's first request (HeadBucket) is tried once on the lean path and
 * then up to 5 times by the SDK, so an endpoint that accepts connections and never answers ends
 * a command after about 6 x 8 s + the SDK's backoff (< 2 s) = ~50 s, inside the minute a CI job
 * can be asked to wait. 8 s is far above S3's time to first byte for HEAD, GET, List, KMS and
 * STS requests (tens to hundreds of milliseconds, seconds under load), so a live but slow
 * server is retried, not refused. 5 s of connect allows two lost SYNs (Linux resends after 1 s
 * and 3 s). 300 s of silence after the headers (and before the headers of a copy) is what the
 * engine allowed before: S3 keeps a long server-side copy alive with whitespace, and some
 * stores answer a copy only when it is done.
 */
export const DEFAULT_LIMITS: RequestLimits = { connectMs: 5_000, responseMs: 8_000, idleMs: 300_000 };

/** Request bodies above this take their time to send: their answer gets the idle limit. */
const LARGE_BODY = 256 * 1024;

/**
 * Requests a server may hold before it answers, so the short time-to-headers does not apply:
 * copies (CopyObject, UploadPartCopy), CompleteMultipartUpload and S3 Select (the server works
 * first), and large uploads (the clock runs while the body is sent).
 */
export function mayAnswerLate(req: {
  method: string;
  headers: Record<string, string | undefined>;
  query?: Record<string, unknown> | undefined;
  bodyBytes?: number | undefined;
}): boolean {
  if (req.headers['x-amz-copy-source'] !== undefined) return true;
  const q = req.query ?? {};
  if (req.method === 'POST' && ('uploadId' in q || 'select' in q)) return true;
  return req.bodyBytes !== undefined && req.bodyBytes > LARGE_BODY;
}

export type TimeoutPhase = 'connect' | 'response' | 'idle';

/**
 * A wait that ran out. Named and coded as Node and the SDK name theirs (TimeoutError, ETIMEDOUT),
 * so the SDK's retry strategy and the engine's classification treat it as transient; it also
 * says which wait, how long, and whom it waited for, for the one-line message (errors.ts).
 */
export class NoAnswerError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(
    readonly phase: TimeoutPhase,
    readonly ms: number,
    /** scheme://host[:port] of the request. */
    readonly origin: string,
    options?: { cause?: unknown },
  ) {
    super(describeWait(phase, ms, origin), options);
  }
}

export function describeWait(phase: TimeoutPhase, ms: number, origin: string): string {
  const s = seconds(ms);
  if (phase === 'connect') return `cannot connect to ${origin} within ${s} s`;
  if (phase === 'response') return `no answer from ${origin} within ${s} s`;
  return `${origin} sent nothing for ${s} s in the middle of an answer`;
}

export function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** A request cut short by the run's interrupt; named as the SDK names its own (AbortError). */
export function abortError(): Error {
  return Object.assign(new Error('Request aborted (interrupted)'), { name: 'AbortError' });
}

/** scheme://host[:port], as a user would write it in --endpoint-url. */
export function originOf(protocol: string, hostname: string, port: number | string | undefined): string {
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return `${protocol.replace(/:?$/, ':')}//${host}${port !== undefined && port !== '' ? `:${port}` : ''}`;
}
