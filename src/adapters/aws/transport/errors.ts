import {
  InterruptedError,
  PreconditionError,
  S3EncryptError,
  ServiceError,
  UsageError,
} from '../../../core/errors.js';
import { networkCode, networkPeer } from './failure-class.js';
import { describeWait, NoAnswerError, seconds, type TimeoutPhase } from './request-limits.js';

/** What we were doing when a call failed; it makes the one-line message specific. */
export interface CallContext {
  /** IAM action name, e.g. `s3:PutEncryptionConfiguration`. AccessDenied messages name it. */
  action: string;
  bucket?: string | undefined;
  key?: string | undefined;
  kmsKey?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
}

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { headers?: Record<string, string | undefined> };
  Code?: string;
}

/** Codes that mean the credentials or their signature were refused. */
export const BAD_CREDENTIALS: ReadonlySet<string> = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'InvalidToken',
]);

/** What to do about each wait that ran out (request-limits.ts). */
const WAIT_HINT: Record<TimeoutPhase, (ms: number) => string> = {
  connect: () => 'check --endpoint-url, --region and the network (firewall, proxy)',
  response: (ms) =>
    `check --endpoint-url / the network: the server took the connection but did not answer; a slow but working store may need a longer wait (S3_ENCRYPT_RESPONSE_TIMEOUT=SECONDS, now ${seconds(ms)})`,
  idle: () => 'the answer stalled midway: check the network, then run the command again',
};

/** Turn an SDK or network error into the S3EncryptError the user sees; the original is the cause. */
export function mapAwsError(err: unknown, ctx: CallContext): S3EncryptError {
  if (err instanceof S3EncryptError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? e.Code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const where = resource(ctx);
  const opts = { cause: err };
  // The run's interrupt cut the request short: no service failure, and nothing to retry now.
  if (name === 'AbortError')
    return new InterruptedError(
      `interrupted while calling ${ctx.action}`,
      'run the same command again to finish (encrypt resumes from its --state file)',
    );
  const waited = findNoAnswer(err);
  if (waited) {
    const attempts = e.$metadata?.attempts;
    const tries = attempts !== undefined && attempts > 1 ? `${attempts} tries, ` : '';
    return new ServiceError(
      'Unreachable',
      `${describeWait(waited.phase, waited.ms, ctx.endpoint ?? waited.origin)} (${tries}calling ${ctx.action})`,
      WAIT_HINT[waited.phase](waited.ms),
      opts,
    );
  }
  const protocol = endpointProtocolError(err, ctx);
  if (protocol) return protocol;
  const malformed = badAnswerError(err, ctx);
  if (malformed) return malformed;
  // The one list of network codes (failure-class.ts), shared with the engine's classification.
  const network = networkCode(err);
  if (network || name === 'TimeoutError') {
    // Without --endpoint-url the SDK may still have read one (a profile's endpoint_url,
    // AWS_ENDPOINT_URL_*): the socket says where the request went.
    const peer = ctx.endpoint === undefined ? networkPeer(err) : undefined;
    const regional = `the endpoint for ${ctx.region ?? 'the configured region'}`;
    const where = ctx.endpoint ?? (peer === undefined ? regional : `${regional} at ${peer}`);
    return new ServiceError(
      'Unreachable',
      `cannot reach ${where} (${network ?? name}) calling ${ctx.action}`,
      ctx.endpoint === undefined
        ? "check --region, the profile's endpoint_url or AWS_ENDPOINT_URL if one is set, and the network or proxy settings"
        : 'check --endpoint-url, --region and the network or proxy settings',
      opts,
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new PreconditionError(
      'NoCredentials',
      'no AWS credentials were found',
      'set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      opts,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new PreconditionError(
      'BadCredentials',
      `the credentials were rejected (${name}) calling ${ctx.action}`,
      'check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or --profile, and refresh an expired session',
      opts,
    );
  }
  const bucketRegion = e.$response?.headers?.['x-amz-bucket-region'];
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) {
    return new UsageError(
      `bucket ${ctx.bucket ?? ''} is in ${bucketRegion ?? 'another region'}, not ${ctx.region ?? 'the configured region'}`,
      bucketRegion ? `pass --region ${bucketRegion}` : "pass the bucket's region with --region",
      'WrongRegion',
      opts,
    );
  }
  if (name === 'NoSuchBucket') {
    return new UsageError(
      `bucket ${ctx.bucket ?? ''} does not exist`,
      'check --bucket and --endpoint-url',
      'NoSuchBucket',
      opts,
    );
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'Forbidden' || status === 403) {
    return new PreconditionError(
      'AccessDenied',
      `access denied: ${ctx.action} on ${where}`,
      `grant ${ctx.action} to this principal ('s3-encrypt policy' prints least-privilege statements)`,
      opts,
    );
  }
  if (name === 'NotFoundException' && ctx.action.startsWith('kms:')) {
    return new UsageError(
      `KMS key ${ctx.kmsKey ?? ''} was not found in ${ctx.region ?? 'this region'}`,
      'check --kms-key (aliases are per region and need the alias/ prefix: aws kms list-aliases)',
      'UnknownKey',
      opts,
    );
  }
  if (
    name === 'DisabledException' ||
    name === 'KMSInvalidStateException' ||
    name === 'KMS.DisabledException'
  ) {
    return new PreconditionError(
      'KeyNotEnabled',
      `KMS key ${ctx.kmsKey ?? ''} is not usable (${name})`,
      'enable the key or choose another',
      opts,
    );
  }
  if (name === 'SlowDown' || name === 'ThrottlingException' || status === 503) {
    return new ServiceError(
      'Throttled',
      `${ctx.action} on ${where} was throttled after retries (${name})`,
      'retry later or lower --concurrency',
      opts,
    );
  }
  const detail =
    e.message && e.message !== name && e.message !== 'UnknownError' ? `: ${firstLine(e.message)}` : '';
  return new ServiceError(
    name,
    `${ctx.action} on ${where} failed with ${name}${status ? ` (HTTP ${status})` : ''}${detail}`,
    'retry; run with --verbose for the request id',
    opts,
  );
}

/** An error and the causes it wraps (SDK errors wrap Node's), at most five deep. */
function* causes(err: unknown): Generator<object> {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    yield cur;
    cur = (cur as { cause?: unknown }).cause;
  }
}

/** Messages and codes along an error's cause chain. */
export function chain(err: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  for (const c of causes(err) as Generator<{ code?: unknown; message?: unknown; reason?: unknown }>) {
    if (typeof c.code === 'string') codes.push(c.code);
    if (typeof c.message === 'string') texts.push(c.message);
    if (typeof c.reason === 'string') texts.push(c.reason);
  }
  return { codes, text: texts.join('\n') };
}

/**
 * The endpoint's scheme does not match what listens there. An https:// URL on a plain HTTP port
 * fails the TLS handshake with OpenSSL's "wrong version number" (the server's first bytes are
 * "HTTP/1.1 400", not a TLS record); an http:// URL on a TLS port gets a TLS alert that Node's
 * HTTP parser cannot read (HPE_*), nginx's "plain HTTP request was sent to HTTPS port", or a
 * reset. Retrying never helps: the user has to change the URL. @internal
 */
export function endpointProtocolError(err: unknown, ctx: CallContext): S3EncryptError | undefined {
  const endpoint = ctx.endpoint;
  if (!endpoint) return undefined;
  const { codes, text } = chain(err);
  const https = endpoint.startsWith('https:');
  const swapped = https ? endpoint.replace(/^https:/, 'http:') : endpoint.replace(/^http:/, 'https:');
  const opts = { cause: err };
  if (
    https &&
    (/wrong version number|packet length too long|unknown protocol|record layer failure/i.test(text) ||
      codes.includes('ERR_SSL_WRONG_VERSION_NUMBER'))
  ) {
    return new UsageError(
      `the endpoint ${endpoint} speaks plain HTTP, not HTTPS (the TLS handshake got an HTTP answer) calling ${ctx.action}`,
      `use --endpoint-url ${swapped}, or put TLS in front of the store`,
      'EndpointNotTls',
      opts,
    );
  }
  if (
    !https &&
    (codes.some((c) => c.startsWith('HPE_')) || /plain HTTP request was sent to HTTPS port/i.test(text))
  ) {
    return new UsageError(
      `the endpoint ${endpoint} did not answer in plain HTTP (it looks like a TLS/HTTPS port) calling ${ctx.action}`,
      `use --endpoint-url ${swapped}`,
      'EndpointNotHttp',
      opts,
    );
  }
  return undefined;
}

/**
 * A store's answer the SDK could not read (not XML, cut short, an HTML error page): the SDK
 * throws its parser's own words ("@aws-sdk XML parse error: ...", "Deserialization error ...").
 * Named as the store's bad answer, one line, exit 4; the parser's text stays in --verbose. @internal
 */
export function badAnswerError(err: unknown, ctx: CallContext): S3EncryptError | undefined {
  const { text } = chain(err);
  const unread = typeof err === 'object' && err !== null && '$responseBodyText' in err;
  if (
    !unread &&
    !/@aws-sdk XML parse error|Deserialization error|char '.' is not expected|Unexpected end of JSON input|is not valid JSON/i.test(
      text,
    )
  )
    return undefined;
  const e = err as (SdkLikeError & { $response?: { statusCode?: number } }) | undefined;
  const status = e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
  const where = ctx.endpoint ?? `the AWS endpoint in ${ctx.region ?? 'the configured region'}`;
  return new ServiceError(
    'UnreadableAnswer',
    `${ctx.action} on ${resource(ctx)}: the store at ${where} answered${status ? ` HTTP ${status}` : ''} with a body that is not a valid S3 response`,
    'check --endpoint-url points at an S3 API (not a proxy or web page); run with --verbose for the parser message',
    { cause: err },
  );
}

function resource(ctx: CallContext): string {
  if (ctx.action.startsWith('kms:')) return ctx.kmsKey ? `key ${ctx.kmsKey}` : 'the KMS key';
  if (ctx.bucket && ctx.key !== undefined) return `s3://${ctx.bucket}/${ctx.key}`;
  if (ctx.bucket) return `bucket ${ctx.bucket}`;
  return 'the account';
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.slice(0, 300) ?? '';
}

/** A NoAnswerError of our request limits, as thrown or as the cause of another error. */
function findNoAnswer(err: unknown): NoAnswerError | undefined {
  for (const c of causes(err)) if (c instanceof NoAnswerError) return c;
  return undefined;
}

/** Run one SDK call and translate its failure. */
export async function call<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapAwsError(err, ctx);
  }
}

export function httpStatus(err: unknown): number | undefined {
  return (err as SdkLikeError | undefined)?.$metadata?.httpStatusCode;
}

export function errorName(err: unknown): string | undefined {
  return (err as SdkLikeError | undefined)?.name;
}

/**
 * The code of the store's error document, when it sent one. The SDK names a body-less error
 * after its status (NotFound, BadRequest, ...) but sets `Code` only from a document, and a
 * status alone proves nothing (head-proof.ts).
 */
export function errorCode(err: unknown): string | undefined {
  const c = (err as { Code?: unknown } | undefined)?.Code;
  return typeof c === 'string' && c !== '' ? c : undefined;
}
