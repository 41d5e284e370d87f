import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { ExitCode } from '../../../core/exit-codes.js';
import { RunStopError } from '../../../core/errors.js';
import type { ObjectHead } from '../../../core/objects.js';
import type { PacingSignals } from '../../../core/ports.js';
import { REFUSALS, type LeanHead } from './lean-head.js';
import { bodyText, elementText } from '../transport/lean-response.js';
import type { LeanSend } from '../transport/lean-send.js';
import { BAD_CREDENTIALS, errorCode, httpStatus } from '../transport/errors.js';
import { withFailedAttemptListener } from '../transport/failed-attempts.js';
import { classifyFailure, classifyStatus } from '../transport/failure-class.js';
import { sdk } from '../transport/sdk.js';

/**
 * The one rule for what a HEAD proves, for verify, plan and the encrypt engine alike.
 *
 * A HEAD answer has no body, so a refusal is only a status, and a status proves nothing: an
 * expired session token gets a bare 400 (what SSE-C objects also get), a proxy or a broken
 * gateway can answer 404 for objects that are there. So a 400, 403 or 404 is followed by a
 * second look that returns an error document (a GET of one byte), and only its error code moves
 * the object anywhere:
 * - NoSuchKey / NoSuchVersion after a 404: proved absent (`vanished`);
 * - InvalidRequest naming server-side encryption after a 400: SSE-C (S3 wants the customer key);
 * - refused credentials or clock (ExpiredToken, InvalidAccessKeyId, RequestTimeTooSkewed, ...)
 *   or NoSuchBucket: the run stops (RunStopError), since every further answer would be the same;
 * - anything else (no code, AccessDenied, the object readable after all): `unverified`.
 */
export type Proof =
  | { kind: 'found'; head: ObjectHead }
  | { kind: 'vanished' }
  | { kind: 'unverified'; reason: string; status?: number | undefined; code?: string | undefined }
  /** The lean HEAD was throttled (503/429) and the caller asked to hear of it at once. */
  | { kind: 'throttled'; status: number }
  /** The SDK command failed in a way the caller maps (5xx after retries, network errors, ...). */
  | { kind: 'error'; error: unknown };

/** A proof that is not an answer: the caller turns it into its own error. */
export type NoAnswer = Exclude<Proof, { kind: 'found' } | { kind: 'vanished' }>;

/**
 * The object a proof shows, `undefined` when it proved the object absent; anything else is the
 * caller's to throw (`fail`), in its own error system (verify's reader, the engine's store).
 */
export function provenHead(proof: Proof, fail: (p: NoAnswer) => never): ObjectHead | undefined {
  if (proof.kind === 'found') return proof.head;
  if (proof.kind === 'vanished') return undefined;
  return fail(proof);
}

/**
 * Codes that mean this run's credentials, signature or clock are refused: no request will pass.
 * The refused credentials of any call, plus what a session or a clock gone bad looks like on S3.
 */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set([
  ...BAD_CREDENTIALS,
  'TokenRefreshRequired',
  'AuthorizationHeaderMalformed',
  'RequestTimeTooSkewed',
]);

export interface HeadProver {
  send: LeanSend;
  lean: LeanHead;
  s3: S3Client;
  /** Engine: a throttled lean HEAD is reported at once (its own backoff), not retried by the SDK. */
  throttleFast: boolean;
}

export async function proveHead(
  p: HeadProver,
  bucket: string,
  key: string,
  versionId: string | undefined,
  /** Told of every throttled or lost attempt on the way (verify's limiter backs off; the SDK retries). */
  signals?: PacingSignals,
): Promise<Proof> {
  const quick = await p.lean(bucket, key, versionId);
  if (quick.kind === 'head') return { kind: 'found', head: quick.head };
  if (quick.kind === 'refused') {
    if (quick.reason !== undefined) return { kind: 'unverified', reason: quick.reason, status: 200 };
    return judge(quick.status, await secondLook(p, bucket, key, versionId), bucket, key);
  }
  if (quick.status !== undefined && classifyStatus(quick.status) === 'throttled') {
    if (p.throttleFast) return { kind: 'throttled', status: quick.status };
    signals?.onThrottle?.();
  }
  // Anything else through the SDK command, for its retries, redirects and error mapping. Each
  // attempt it retries is told too: a 503 the SDK absorbs is still the store asking for less.
  const input = { Bucket: bucket, Key: key, VersionId: versionId };
  let out: HeadObjectCommandOutput;
  try {
    out = await p.s3.send(
      new sdk.s3.HeadObjectCommand(withFailedAttemptListener(input, signals && ((e) => signal(e, signals)))),
    );
  } catch (err) {
    const status = httpStatus(err);
    if (status !== undefined && REFUSALS.has(status))
      return judge(status, await secondLook(p, bucket, key, versionId), bucket, key);
    const code = errorCode(err);
    if (code !== undefined) stopOn(code, bucket, key, err);
    return { kind: 'error', error: err };
  }
  if (out.ETag === undefined || out.ContentLength === undefined || out.LastModified === undefined)
    return {
      kind: 'unverified',
      reason: 'HEAD answered 200 without ETag, Content-Length or Last-Modified',
      status: 200,
    };
  return { kind: 'found', head: toHead(key, out) };
}

/** The rule of the encrypt engine's paced(): a throttle is a throttle, a lost connection congestion. */
function signal(err: unknown, signals: PacingSignals): void {
  const c = classifyFailure(err).class;
  if (c === 'throttled') signals.onThrottle?.();
  else if (c === 'network' || c === 'timeout') signals.onCongestion?.();
}

/** What the second look saw: a status when the store answered, and the code of its error document. */
interface Look {
  status?: number | undefined;
  code?: string | undefined;
  message?: string | undefined;
  /** A network error: nothing was answered. */
  error?: unknown;
}

/** GET of the first byte: unlike HEAD, an error comes with a document that names its code. */
async function secondLook(
  p: Pick<HeadProver, 'send' | 's3'>,
  bucket: string,
  key: string,
  versionId: string | undefined,
): Promise<Look> {
  try {
    const response = await p.send({
      method: 'GET',
      bucket,
      key,
      ...(versionId !== undefined ? { query: { versionId } } : {}),
      headers: { range: 'bytes=0-0' },
    });
    if (response) {
      if (response.status < 300) {
        // The object is readable: its bytes are not wanted (a store may ignore the range).
        response.body.destroy();
        return { status: response.status };
      }
      const xml = await bodyText(response.body, 64 * 1024);
      const isError = /<Error[\s>]/.test(xml);
      return {
        status: response.status,
        code: isError ? elementText(xml, 'Code') || undefined : undefined,
        message: isError ? elementText(xml, 'Message') : undefined,
      };
    }
  } catch (error) {
    return { error };
  }
  // A request the lean path cannot express: the SDK's GetObject, whose errors carry `Code` only
  // when the store sent an error document (the SDK names body-less errors after the status).
  try {
    const out = await p.s3.send(
      new sdk.s3.GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, Range: 'bytes=0-0' }),
    );
    (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return { status: out.$metadata.httpStatusCode ?? 200 };
  } catch (err) {
    const status = httpStatus(err);
    if (status === undefined) return { error: err };
    return { status, code: errorCode(err), message: (err as Error).message };
  }
}

/** The verdict on a refused HEAD (status `headStatus`), from what the second look proved. @internal */
export function judge(headStatus: number, look: Look, bucket: string, key: string): Proof {
  if (look.code !== undefined) stopOn(look.code, bucket, key, undefined);
  const first = `HEAD answered ${headStatus}`;
  if (look.error !== undefined)
    return {
      kind: 'unverified',
      reason: `${first}; the GET that should explain it failed (${errorText(look.error)})`,
      status: headStatus,
    };
  const code = look.code;
  if (headStatus === 404 && (code === 'NoSuchKey' || code === 'NoSuchVersion')) return { kind: 'vanished' };
  if (headStatus === 400 && code === 'InvalidRequest' && /encrypt/i.test(look.message ?? ''))
    return { kind: 'found', head: sseCHead(key) };
  const second =
    look.status !== undefined && look.status < 300
      ? `a GET read the object (${look.status})`
      : look.status === 416
        ? 'a GET found the object (416, empty)'
        : `a GET answered ${look.status ?? 'nothing'}${code ? ` ${code}` : ' with no error code'}`;
  return { kind: 'unverified', reason: `${first}, ${second}`, status: headStatus, code };
}

/** Throws when `code` refuses the whole run: credentials, signature, clock, or the bucket gone. */
export function stopOn(code: string, bucket: string, key: string | undefined, cause: unknown): void {
  const where = key === undefined ? `bucket ${bucket}` : `${JSON.stringify(key)} in bucket ${bucket}`;
  if (code === 'RequestTimeTooSkewed')
    throw new RunStopError(
      'ClockSkewed',
      `the store refused this machine's clock (RequestTimeTooSkewed) at ${where}`,
      'set the clock right (NTP), then run the same command again (encrypt resumes from its state file)',
      ExitCode.PRECONDITION,
      { cause },
    );
  if (CREDENTIAL_REFUSALS.has(code))
    throw new RunStopError(
      'CredentialsRefused',
      `the store refused this run's credentials (${code}) at ${where}`,
      'refresh the credentials (a new session: aws sso login, a new assume-role), then run the same command again (encrypt resumes from its state file)',
      ExitCode.PRECONDITION,
      { cause },
    );
  if (code === 'NoSuchBucket')
    throw new RunStopError(
      'NoSuchBucket',
      `bucket ${bucket} no longer exists (NoSuchBucket at ${where})`,
      'check --bucket and --endpoint-url; nothing was counted',
      ExitCode.USAGE,
      { cause },
    );
}

function errorText(err: unknown): string {
  if (err instanceof Error) return (err as { code?: string }).code ?? err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/** All that is known of an SSE-C object read without its key. */
function sseCHead(key: string): ObjectHead {
  return { key, size: 0, etag: '', storageClass: 'STANDARD', metadata: {}, sseCustomerAlgorithm: 'AES256' };
}

/** @internal */
export function toHead(key: string, out: HeadObjectCommandOutput): ObjectHead {
  return {
    key,
    versionId: out.VersionId,
    size: out.ContentLength ?? 0,
    etag: out.ETag ?? '',
    lastModified: out.LastModified,
    storageClass: out.StorageClass ?? 'STANDARD',
    serverSideEncryption: out.ServerSideEncryption,
    kmsKeyId: out.SSEKMSKeyId,
    bucketKeyEnabled: out.BucketKeyEnabled,
    sseCustomerAlgorithm: out.SSECustomerAlgorithm,
    contentType: out.ContentType,
    cacheControl: out.CacheControl,
    contentDisposition: out.ContentDisposition,
    contentEncoding: out.ContentEncoding,
    contentLanguage: out.ContentLanguage,
    expires: out.Expires,
    websiteRedirectLocation: out.WebsiteRedirectLocation,
    metadata: out.Metadata ?? {},
    objectLockMode: out.ObjectLockMode,
    objectLockRetainUntilDate: out.ObjectLockRetainUntilDate,
    objectLockLegalHoldStatus: out.ObjectLockLegalHoldStatus,
    restore: out.Restore,
    archiveStatus: out.ArchiveStatus,
    tagCount: out.TagCount,
    partsCount: out.PartsCount,
    checksumAlgorithm: undefined,
  };
}
