// verify --live's HEAD (object-reader.ts over head-proof.ts) through the shared S3 client
// (clients.ts): the SDK command retries 503s and lost connections on its own, and every attempt
// it retries must still reach the caller's pacing signals (the adaptive limit, the summary's
// throttle count), not only the lean HEAD's first answer. The verdict is the same either way.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { objectReader } from '../../../../src/adapters/aws/objects/object-reader.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';

let server: Server;
let endpoint: string;
/** What each HEAD gets in turn: a status, or `reset` (the socket destroyed, no answer). */
let answers: (number | 'reset')[] = [];
let heads = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const a = answers.shift() ?? 200;
    if (req.method === 'HEAD') heads++;
    if (a === 'reset') {
      req.socket.destroy();
      return;
    }
    if (a === 200)
      res.writeHead(200, {
        etag: '"e1"',
        'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
        'content-length': '5',
      });
    else res.writeHead(a);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  heads = 0;
});

function head(signals: { onThrottle: () => void; onCongestion: () => void }) {
  const aws = makeClients({
    region: 'us-east-1',
    endpoint,
    credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
    maxAttempts: 3,
  });
  return objectReader(aws).head('b', 'k', undefined, signals);
}

describe('verify HEAD: every attempt reaches the pacing signals', () => {
  it('503 on the lean HEAD and on two SDK attempts: three throttles, then the object', async () => {
    answers = [503, 503, 503, 200];
    const seen = { throttles: 0, congestion: 0 };
    const found = await head({ onThrottle: () => seen.throttles++, onCongestion: () => seen.congestion++ });
    expect(found).toMatchObject({ key: 'k', etag: '"e1"', size: 5 });
    expect(heads).toBe(4);
    expect(seen).toEqual({ throttles: 3, congestion: 0 });
  });

  it('a connection lost under an SDK attempt is congestion, a 500 neither', async () => {
    answers = [500, 'reset', 200];
    const seen = { throttles: 0, congestion: 0 };
    const found = await head({ onThrottle: () => seen.throttles++, onCongestion: () => seen.congestion++ });
    expect(found).toMatchObject({ key: 'k', size: 5 });
    expect(heads).toBe(3);
    expect(seen).toEqual({ throttles: 0, congestion: 1 });
  });

  it('a throttle on the last attempt is told too, and the object stays unverified', async () => {
    answers = [503, 503, 503, 503];
    const seen = { throttles: 0, congestion: 0 };
    const err = await head({
      onThrottle: () => seen.throttles++,
      onCongestion: () => seen.congestion++,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UnverifiedObjectError' });
    expect(seen).toEqual({ throttles: 4, congestion: 0 });
  });
});
