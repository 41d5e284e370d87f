import { PreconditionError, type S3EncryptError } from '../../../core/errors.js';
import {
  BAD_CREDENTIALS,
  chain,
  errorName,
  httpStatus,
  mapAwsError,
  type CallContext,
} from '../transport/errors.js';
import { NETWORK_CODES } from '../transport/failure-class.js';

/**
 * What a failed S3 Select means. Only `--engine select` sends SelectObjectContent, and by the time
 * it does, the same endpoint has already answered the listing and the GETs of manifest.json and
 * manifest.checksum; the default engine reads the same data files with plain GETs. So an answer
 * that shows this endpoint does not run S3 Select is a precondition (exit 3, "drop --engine
 * select"), not a fault to retry (exit 4):
 * - HTTP 400, 405, 501 and every 5xx but 503 and S3's own InternalError, after the SDK's own retries (it retries 5xx before
 *   handing back the stream): moto answers 500 to SQL its parser cannot read, a store without
 *   Select answers 501 NotImplemented or 405 MethodNotAllowed, and a 400 to AWS's documented SQL
 *   (inventory-select.ts cites it) is a store that does not speak it;
 * - the connection closed or reset, or an answer that is not HTTP (Node's HPE_* parser codes),
 *   after those retries: Ceph RGW 16.2 closes the connection on GZIP input;
 * - anything that breaks the event stream once it has begun: an error event (the store's own
 *   code and message), a message the decoder refuses, a cut connection;
 * - an answer that is not the CSV asked for, or that ends without its End event (selectScan).
 * Left to the general mapping (errors.ts), because they say nothing about Select: the run's
 * interrupt; our waits running out and an endpoint that cannot be reached at all (connection
 * refused, no such host); credentials, region and bucket errors; and throttling (503 SlowDown,
 * 429), AWS's documented "slow down", and S3's own transient codes (TRANSIENT) wherever they
 * come, which stay service errors to retry later. A 403 gets
 * its own line (selectRefusedError): AWS closed S3 Select to accounts new to it.
 */
export type SelectPhase = 'request' | 'stream';

/**
 * Cannot be reached at all, or our own wait ran out (the general mapping says which and what to
 * do); or the connection was there and went away under the Select. Both from the one list.
 */
const UNREACHABLE = new Set(Object.keys(NETWORK_CODES).filter((c) => NETWORK_CODES[c] === 'unreachable'));
const CLOSED = new Set(Object.keys(NETWORK_CODES).filter((c) => NETWORK_CODES[c] === 'closed'));
/**
 * S3's own "try again" codes: AWS answers InternalError (500) and ServiceUnavailable (503) for its
 * transient faults, in the XML body or as an error event mid-stream, and says every 5xx from S3
 * can and should be retried ("How do I troubleshoot a HTTP 500 or 503 error from Amazon S3?",
 * https://repost.aws/knowledge-center/http-5xx-errors-s3); RequestTimeout (400) is S3 giving up
 * on a slow socket. AWS runs S3 Select, so these stay service errors (exit 4, retry), never
 * "this endpoint cannot run S3 Select". moto's 500 is an HTML page, not one of these codes.
 */
const TRANSIENT = new Set(['InternalError', 'ServiceUnavailable', 'RequestTimeout']);
const THROTTLED = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'RequestLimitExceeded',
]);
/** About the caller (who, where, which bucket), never about Select. */
const CALLER = new Set([
  ...BAD_CREDENTIALS,
  'CredentialsProviderError',
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'NoSuchBucket',
]);
/** Named refusals of the operation itself, whatever the status. */
const UNSUPPORTED = new Set([
  'NotImplemented',
  'MethodNotAllowed',
  'UnsupportedOperation',
  'XNotImplemented',
]);

const CLOSED_TO_NEW_ACCOUNTS =
  'S3 Select is closed to accounts that had not used it before 2024-07-25: drop --engine select (the default local engine reads the same files and gives the same rows)';

/** The one line for an endpoint that cannot run S3 Select; `reason` is what the store did. */
export function cannotRunSelect(reason: string, key: string, cause?: unknown): PreconditionError {
  return new PreconditionError(
    'SelectUnavailable',
    'this endpoint cannot run S3 Select',
    `drop --engine select (${reason}, reading ${key}; the default engine reads the same files)`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Why this failure shows the endpoint cannot run S3 Select, or undefined when it is something
 * else (see the rules above).
 */
function selectCannotReason(err: unknown, phase: SelectPhase): string | undefined {
  const name = errorName(err) ?? '';
  const status = httpStatus(err);
  const { codes, text } = chain(err);
  if (name === 'AbortError') return undefined;
  // The SDK's handler names a reset connection TimeoutError too (ECONNRESET, EPIPE: retryable as
  // a timeout); only a wait that ran out (ours: ETIMEDOUT, in UNREACHABLE) is one.
  if (name === 'TimeoutError' && !codes.some((c) => CLOSED.has(c))) return undefined;
  if (codes.some((c) => UNREACHABLE.has(c))) return undefined;
  if (CALLER.has(name) || THROTTLED.has(name) || TRANSIENT.has(name) || status === 429 || status === 503)
    return undefined;
  if (name === 'AccessDenied' || status === 401 || status === 403 || status === 404) return undefined;
  const message = firstLine(text.split('\n').find((l) => l && l !== name) ?? '');
  // The SDK's own words when the error body was not S3's XML (moto's 500 is an HTML page).
  const said = !message
    ? ''
    : /@aws-sdk|Deserialization error/.test(message)
      ? ' (its error body is not S3 XML)'
      : `: ${message}`;
  const attempts = (err as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  const tries = attempts !== undefined && attempts > 1 ? ` after ${attempts} tries` : '';
  if (status !== undefined && (UNSUPPORTED.has(name) || [400, 405, 501].includes(status) || status >= 500))
    return `it answered HTTP ${status}${name && name !== 'Error' ? ` ${name}` : ''}${tries}${said}`;
  if (UNSUPPORTED.has(name)) return `it answered ${name}${said}`;
  const hpe = codes.find((c) => c.startsWith('HPE_'));
  if (hpe) return `its answer is not HTTP (${hpe}${tries})`;
  const closed = codes.find((c) => CLOSED.has(c));
  if (closed) return `it closed the connection (${closed}${tries})`;
  if (phase === 'stream') return `its event stream failed: ${name || 'Error'}${said}`;
  return undefined;
}

/** A failed Select request or stream as the user sees it. */
export function selectError(
  err: unknown,
  ctx: CallContext & { key: string },
  phase: SelectPhase,
): S3EncryptError {
  const reason = selectCannotReason(err, phase);
  if (reason !== undefined) return cannotRunSelect(reason, ctx.key, err);
  const name = errorName(err) ?? '';
  const status = httpStatus(err);
  if (CALLER.has(name)) return mapAwsError(err, ctx);
  if (name === 'AccessDenied' || status === 403) {
    return new PreconditionError(
      'SelectUnavailable',
      `S3 Select was refused on ${ctx.key} (${name || `HTTP ${status ?? '?'}`})`,
      `${CLOSED_TO_NEW_ACCOUNTS}; or grant s3:GetObject on the inventory data files`,
      { cause: err },
    );
  }
  if (name === 'NoSuchKey' || status === 404) {
    return new PreconditionError(
      'InventoryFileMissing',
      `data file s3://${ctx.bucket ?? ''}/${ctx.key} named by manifest.json does not exist`,
      'the delivery is incomplete or was cleaned up: wait for the next one, or pass --date to pick another',
      { cause: err },
    );
  }
  return mapAwsError(err, ctx);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim().slice(0, 300);
}
