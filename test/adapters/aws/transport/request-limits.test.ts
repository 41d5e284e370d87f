// Every request is bounded and interruptible: the SDK clients' handler (http-handler.ts) and the
// lean transport (lean-send.ts nodeTransport) against a loopback server that takes connections
// and never answers; the production defaults every client gets; the one-line errors.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@smithy/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { mapAwsError } from '../../../../src/adapters/aws/transport/errors.js';
import { boundedHttpHandler, boundsOf } from '../../../../src/adapters/aws/transport/http-handler.js';
import { nodeTransport } from '../../../../src/adapters/aws/transport/lean-send.js';
import { engineS3Client } from '../../../../src/adapters/aws/objects/object-client.js';
import {
  DEFAULT_LIMITS,
  mayAnswerLate,
  NoAnswerError,
  type RequestLimits,
} from '../../../../src/adapters/aws/transport/request-limits.js';
import { resolveGlobal } from '../../../../src/config/global.js';
import { ExitCode } from '../../../../src/core/exit-codes.js';

let port = 0;
let server: net.Server;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const SMALL: RequestLimits = { connectMs: 1_000, responseMs: 200, idleMs: 1_200 };

function sdkRequest(method: string, headers: Record<string, string> = {}, query = {}) {
  return new HttpRequest({
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    method,
    path: '/bucket/key',
    headers: { host: `127.0.0.1:${port}`, ...headers },
    query,
  });
}

async function timed<T>(p: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await p;
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

describe('production defaults', () => {
  it('end a command on a dead endpoint within a minute, retries included', () => {
    // A command's first request: one lean try, then the SDK's 5 attempts (clients.ts maxAttempts),
    // with the SDK's standard backoff between them (at most 100 ms x 2^n, n = 1..4).
    const tries = 1 + 5;
    const backoff = [1, 2, 3, 4].reduce((s, n) => s + 100 * 2 ** n, 0);
    expect(tries * DEFAULT_LIMITS.responseMs + backoff).toBeLessThan(60_000);
    expect(DEFAULT_LIMITS).toEqual({ connectMs: 5_000, responseMs: 8_000, idleMs: 300_000 });
  });

  it('every client gets them, and the run signal', async () => {
    const signal = new AbortController().signal;
    const aws = makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', signal });
    for (const client of [aws.s3, aws.kms, aws.sts, aws.s3control('eu-west-1'), engineS3Client(aws.config)]) {
      const bounds = boundsOf(client);
      expect(bounds?.limits).toEqual(DEFAULT_LIMITS);
      expect(bounds?.signal).toBe(signal);
    }
    // As the SDK handler is configured (throwOnRequestTimeout: else it only logs a warning).
    const handler = aws.s3.config.requestHandler as ReturnType<typeof boundedHttpHandler>;
    const aborted = AbortSignal.abort();
    await timed(handler.handle(sdkRequest('HEAD'), { abortSignal: aborted }));
    expect(handler.httpHandlerConfigs()).toMatchObject({
      connectionTimeout: 5_000,
      requestTimeout: 8_000,
      throwOnRequestTimeout: true,
      socketTimeout: 300_000,
    });
  });

  it('S3_ENCRYPT_CONNECT_TIMEOUT / S3_ENCRYPT_RESPONSE_TIMEOUT override them; nonsense is refused', () => {
    expect(resolveGlobal({}, { S3_ENCRYPT_RESPONSE_TIMEOUT: '2.5' }).timeouts).toEqual({
      connectMs: undefined,
      responseMs: 2_500,
    });
    expect(resolveGlobal({}, {}).timeouts).toBeUndefined();
    for (const bad of ['0', 'abc', '-1', '1e9'])
      expect(() => resolveGlobal({}, { S3_ENCRYPT_CONNECT_TIMEOUT: bad })).toThrow(
        /invalid S3_ENCRYPT_CONNECT_TIMEOUT/,
      );
  });
});

describe('which requests may answer late', () => {
  it('copies, completions, Select and large uploads; not HEAD, GET, small PUTs', () => {
    expect(mayAnswerLate({ method: 'PUT', headers: { 'x-amz-copy-source': 'b/k' } })).toBe(true);
    expect(mayAnswerLate({ method: 'POST', headers: {}, query: { uploadId: 'u' } })).toBe(true);
    expect(mayAnswerLate({ method: 'POST', headers: {}, query: { select: '', 'select-type': '2' } })).toBe(
      true,
    );
    expect(mayAnswerLate({ method: 'PUT', headers: {}, bodyBytes: 16 * 1024 * 1024 })).toBe(true);
    expect(mayAnswerLate({ method: 'HEAD', headers: {} })).toBe(false);
    expect(mayAnswerLate({ method: 'GET', headers: {}, query: { 'list-type': '2' } })).toBe(false);
    expect(mayAnswerLate({ method: 'PUT', headers: {}, bodyBytes: 300 })).toBe(false);
    expect(mayAnswerLate({ method: 'POST', headers: {}, query: { uploads: '' } })).toBe(false);
  });
});

describe('the SDK clients handler, against a server that never answers', () => {
  it('gives up on a HEAD after the response limit, naming the endpoint', async () => {
    const h = boundedHttpHandler({ limits: SMALL });
    const { error, ms } = await timed(h.handle(sdkRequest('HEAD')));
    expect(error).toBeInstanceOf(NoAnswerError);
    expect(error).toMatchObject({ phase: 'response', ms: 200, origin: `http://127.0.0.1:${port}` });
    expect(ms).toBeLessThan(1_000);
  });

  it('lets a copy wait for the idle limit instead', async () => {
    const h = boundedHttpHandler({ limits: SMALL });
    const { error, ms } = await timed(h.handle(sdkRequest('PUT', { 'x-amz-copy-source': '/bucket/key' })));
    // The headers limit of a copy is the idle limit, which also bounds the silent socket.
    expect(error).toMatchObject({ name: 'TimeoutError', ms: 1_200 });
    expect(['response', 'idle']).toContain((error as NoAnswerError).phase);
    expect(ms).toBeGreaterThanOrEqual(1_100);
  });

  it('aborts what is in flight when the run signal fires', async () => {
    const controller = new AbortController();
    const h = boundedHttpHandler({ limits: { ...SMALL, responseMs: 60_000 }, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await timed(h.handle(sdkRequest('HEAD')));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(ms).toBeLessThan(1_000);
  });

  it("also listens to a send's own abortSignal", async () => {
    const run = new AbortController();
    const own = new AbortController();
    const h = boundedHttpHandler({ limits: { ...SMALL, responseMs: 60_000 }, signal: run.signal });
    setTimeout(() => own.abort(), 100);
    const { error, ms } = await timed(h.handle(sdkRequest('GET'), { abortSignal: own.signal }));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(ms).toBeLessThan(1_000);
  });
});

describe('the lean transport, against a server that never answers', () => {
  const req = (headers: Record<string, string> = {}) => ({
    protocol: 'http:' as const,
    hostname: '127.0.0.1',
    port,
    method: headers['x-amz-copy-source'] ? 'PUT' : 'HEAD',
    path: '/bucket/key',
    headers: { host: `127.0.0.1:${port}`, ...headers },
  });

  it('gives up on a HEAD after the response limit (not the 300 s idle limit)', async () => {
    const { error, ms } = await timed(nodeTransport({ limits: SMALL })(req()));
    expect(error).toBeInstanceOf(NoAnswerError);
    expect(error).toMatchObject({ phase: 'response', ms: 200, origin: `http://127.0.0.1:${port}` });
    expect(ms).toBeLessThan(1_000);
  });

  it('lets a copy wait for the idle limit instead', async () => {
    const { error, ms } = await timed(
      nodeTransport({ limits: SMALL })(req({ 'x-amz-copy-source': '/bucket/key' })),
    );
    // The headers limit of a copy is the idle limit, which also bounds the silent socket.
    expect(error).toMatchObject({ name: 'TimeoutError', ms: 1_200 });
    expect(['response', 'idle']).toContain((error as NoAnswerError).phase);
    expect(ms).toBeGreaterThanOrEqual(1_100);
  });

  it('aborts what is in flight when the run signal fires, and refuses new requests after', async () => {
    const controller = new AbortController();
    const send = nodeTransport({ limits: { ...SMALL, responseMs: 60_000 }, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await timed(send(req()));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(ms).toBeLessThan(1_000);
    expect((await timed(send(req()))).error).toMatchObject({ name: 'AbortError' });
  });

  it('the lean sender of a client takes the client bounds', () => {
    const signal = new AbortController().signal;
    const aws = makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', limits: SMALL, signal });
    expect(boundsOf(aws.s3)).toEqual({ limits: SMALL, signal });
  });
});

describe('the one line a user sees', () => {
  const ctx = { action: 's3:ListBucket', bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' };

  it('no answer: the endpoint, the wait, the tries, the action, exit 4', () => {
    const err = Object.assign(new NoAnswerError('response', 8_000, 'http://127.0.0.1:9'), {
      $metadata: { attempts: 5 },
    });
    const mapped = mapAwsError(err, ctx);
    expect(mapped.exitCode).toBe(ExitCode.SERVICE);
    expect(mapped.oneLine()).toMatch(
      /^no answer from http:\/\/127\.0\.0\.1:9 within 8 s \(5 tries, calling s3:ListBucket\): check --endpoint-url \/ the network/,
    );
  });

  it('without --endpoint-url it names the host that did not answer', () => {
    const err = new NoAnswerError('connect', 5_000, 'https://b.s3.eu-west-1.amazonaws.com');
    expect(mapAwsError(err, { ...ctx, endpoint: undefined }).oneLine()).toMatch(
      /^cannot connect to https:\/\/b\.s3\.eu-west-1\.amazonaws\.com within 5 s \(calling s3:ListBucket\)/,
    );
  });

  it('an aborted request is the interrupt (exit 130), not a service failure', () => {
    const err = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    const mapped = mapAwsError(err, ctx);
    expect(mapped.exitCode).toBe(ExitCode.INTERRUPTED);
    expect(mapped.message).toBe('interrupted while calling s3:ListBucket');
  });
});
