// The one classifier of failed requests (failure-class.ts) and what both object paths make of it:
// the engine's StoreError kind (object-errors.ts), the one-line message (errors.ts), and the SDK
// clients' retry decision (retry-strategy.ts).
import { HeadBucketCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { mapAwsError } from '../../../../src/adapters/aws/transport/errors.js';
import {
  classifyFailure,
  classifyStatus,
  NETWORK_CODES,
} from '../../../../src/adapters/aws/transport/failure-class.js';
import { classifyStoreError } from '../../../../src/adapters/aws/objects/object-errors.js';
import { NoAnswerError } from '../../../../src/adapters/aws/transport/request-limits.js';
import { retryErrorType } from '../../../../src/adapters/aws/transport/retry-strategy.js';
import { isRetryable, KIND_OF, StoreError } from '../../../../src/core/encrypt/store-error.js';
import { RETRIED, type FailureClass } from '../../../../src/core/failure.js';

const ctx = { action: 's3:GetObject', bucket: 'b', key: 'k', region: 'us-east-1' };

function netError(code: string, message = `failed: ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** As the SDK wraps a Node error: its own name, the network error as the cause. */
function wrapped(code: string): Error {
  return Object.assign(new Error('request failed', { cause: netError(code) }), { name: 'Error' });
}

function sdk(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

const CODES = Object.keys(NETWORK_CODES);

describe('one list of network codes for both object paths', () => {
  it('holds every code either path knew (errors.ts, object-errors.ts, select-errors.ts)', () => {
    expect(CODES.sort()).toEqual(
      [
        'EAI_AGAIN',
        'ECONNABORTED',
        'ECONNREFUSED',
        'ECONNRESET',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'ENOTFOUND',
        'EPIPE',
        'ERR_STREAM_PREMATURE_CLOSE',
        'ETIMEDOUT',
        'UND_ERR_SOCKET',
      ].sort(),
    );
  });

  // ECONNABORTED, UND_ERR_SOCKET and ERR_STREAM_PREMATURE_CLOSE were missing from errors.ts:
  // ObjectReader's failures named them as a generic service error, not the network.
  it.each(CODES)('%s is the network on the SDK path (mapAwsError: Unreachable)', (code) => {
    for (const err of [netError(code), wrapped(code)]) {
      const mapped = mapAwsError(err, ctx);
      expect(mapped.code).toBe('Unreachable');
      expect(mapped.exitCode).toBe(4);
      expect(mapped.message).toContain(`(${code})`);
    }
  });

  // ERR_STREAM_PREMATURE_CLOSE was missing from object-errors.ts: the engine gave the object up
  // at once instead of asking again.
  it.each(CODES)('%s is transient for the engine, retried, code kept', (code) => {
    for (const err of [netError(code), wrapped(code)]) {
      const c = classifyStoreError(err);
      expect(c).toEqual({ kind: 'transient', code, status: undefined });
      expect(isRetryable(new StoreError(c.kind, c.code, 'x'))).toBe(true);
    }
  });

  it('a network code inside an AggregateError (happy eyeballs) counts', () => {
    const agg = Object.assign(new AggregateError([netError('ECONNREFUSED'), netError('ENETUNREACH')]), {
      code: undefined,
    });
    expect(classifyFailure(agg).class).toBe('network');
    expect(mapAwsError(agg, ctx).code).toBe('Unreachable');
  });

  it('our own waits are timeouts, retried', () => {
    const f = classifyFailure(new NoAnswerError('response', 8000, 'http://127.0.0.1:1'));
    expect(f).toEqual({ class: 'timeout', code: 'ETIMEDOUT', status: undefined });
    expect(RETRIED.has(f.class)).toBe(true);
  });
});

describe('the throttling codes are one list too', () => {
  // The SDK's own throttling codes, missing from the engine's list: KMS's quota answer among them.
  it.each(['LimitExceededException', 'PriorRequestNotComplete', 'TransactionInProgressException'])(
    '%s is a throttle for the engine',
    (name) => expect(classifyStoreError(sdk(name, 400)).kind).toBe('throttle'),
  );
});

describe('what is retried is decided once (core/failure.ts)', () => {
  it('the engine retries exactly the kinds of the retried classes', () => {
    const classes = Object.keys(KIND_OF) as FailureClass[];
    for (const c of classes) {
      const retried = isRetryable(new StoreError(KIND_OF[c], 'X', 'x'));
      // A kind shared by a retried and a non-retried class would make the engine's choice a guess.
      expect({ c, retried }).toEqual({ c, retried: RETRIED.has(c) });
    }
  });

  it.each<[string, unknown, string]>([
    ['a throttle backs off as one', sdk('SlowDown', 503), 'THROTTLING'],
    ['a 5xx', sdk('InternalError', 500), 'TRANSIENT'],
    ['a connection undici saw closed', netError('UND_ERR_SOCKET'), 'TRANSIENT'],
    ['our wait', new NoAnswerError('connect', 5000, 'http://127.0.0.1:1'), 'TRANSIENT'],
    ['the interrupt', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'CLIENT_ERROR'],
    ['a bare 404', sdk('NotFound', 404), 'CLIENT_ERROR'],
    ['a refusal', sdk('AccessDenied', 403), 'CLIENT_ERROR'],
  ])('SDK clients: %s -> %s', (_n, err, type) => {
    expect(retryErrorType(err, 'CLIENT_ERROR')).toBe(type);
  });

  it('what only the SDK knows (a corrected clock skew) keeps its own verdict', () => {
    const skew = Object.assign(sdk('RequestTimeTooSkewed', 403), {
      $metadata: { httpStatusCode: 403, clockSkewCorrected: true },
    });
    expect(retryErrorType(skew, 'TRANSIENT')).toBe('TRANSIENT');
  });

  // The SDK's own lists do not hold UND_ERR_SOCKET or ECONNABORTED: before the SDK clients read
  // the taxonomy, verify's and plan's requests failed on the first such error.
  it.each(['UND_ERR_SOCKET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'])(
    'the SDK clients of makeClients retry %s',
    async (code) => {
      const clients = makeClients({
        region: 'us-east-1',
        maxAttempts: 3,
        credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
      });
      let sent = 0;
      const s3 = clients.s3;
      (s3.config as { requestHandler: unknown }).requestHandler = {
        handle: () => {
          sent++;
          return Promise.reject(netError(code));
        },
      };
      const err = await s3.send(new HeadBucketCommand({ Bucket: 'b' })).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe(code);
      expect(sent).toBe(3);
    },
    20_000,
  );
});

describe('a lean response without an error document is classified by its status alone', () => {
  it.each<[number, FailureClass]>([
    [503, 'throttled'],
    [429, 'throttled'],
    [500, 'server'],
    [502, 'server'],
    [412, 'precondition'],
    [409, 'precondition'],
    // A bare 404 proves nothing (head-proof.ts): never `not-found`.
    [404, 'unverified'],
    [403, 'denied'],
    [400, 'invalid'],
    [501, 'unsupported'],
  ])('%s -> %s', (status, cls) => expect(classifyStatus(status)).toBe(cls));
});
