// The engine's HEAD (object-details.ts over head-proof.ts): a lean HEAD answered 503 or 429 is a
// throttle at once (the engine backs off and shrinks its concurrency), not a second request
// through the SDK command; any other status the lean path cannot vouch for is asked again that way.
// The status is classified by the one classifier (failure-class.ts classifyStatus).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectDetails } from '../../../../src/adapters/aws/objects/object-details.js';
import { StoreError } from '../../../../src/core/encrypt/store-error.js';

let server: Server;
let endpoint: string;
let status = 503;
let heads = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'HEAD') heads++;
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function engineHead() {
  const s3 = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  return objectDetails(s3, { region: 'us-east-1', endpoint }).head;
}

describe('engine HEAD throttled on the lean path', () => {
  it.each([503, 429])('%s: a throttle at once, one request', async (s) => {
    status = s;
    heads = 0;
    const err = await engineHead()('b', 'k', undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe('throttle');
    expect((err as StoreError).status).toBe(s);
    expect(heads).toBe(1);
  });

  it('a 500 is asked again through the SDK command (two requests), then transient', async () => {
    status = 500;
    heads = 0;
    const err = await engineHead()('b', 'k', undefined).catch((e: unknown) => e);
    expect((err as StoreError).kind).toBe('transient');
    expect(heads).toBe(2);
  });
});
