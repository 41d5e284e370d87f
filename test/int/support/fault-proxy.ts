// A loopback S3 proxy that misbehaves on purpose, for the encrypt engine's integration tests:
// - answers `503 SlowDown` to a share of requests and destroys a share of connections (before
//   forwarding, or after the server did the work and before the client hears of it), from a
//   seeded RNG and up to a bound, so every run ends;
// - optionally enforces x-amz-copy-source-if-match and If-Match on copies and multipart
//   completions as Amazon S3 does. moto (5.x) checks neither, and Ceph RGW 16.2 reads only its
//   own x-amz-copy-if-match, so without this the engine's guard could not be shown to work;
// - optionally stops a HEAD response until a test callback ran (a concurrent writer acting
//   exactly between the engine's HEAD and its write).
// Requests are forwarded with their original Host header, so SigV4 signatures stay valid.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { checkIntercepted } from './conformance-intercepted.js';

export interface FaultProxyOptions {
  upstream: string;
  seed: number;
  /** Share of requests answered 503 SlowDown (0..1). */
  slowDownRate?: number;
  /** Share of requests whose connection is destroyed (0..1). */
  dropRate?: number;
  /** No more faults than this in all. */
  maxFaults?: number;
  /** Client straight to the upstream, for the conditional checks. */
  enforceIfMatch?: S3Client;
  /** Runs after the upstream answered a HEAD of bucket/key, before the client gets the answer. */
  onHead?: (bucket: string, key: string) => Promise<void>;
}

interface FaultStats {
  requests: number;
  slowDowns: number;
  dropsBefore: number;
  dropsAfter: number;
  preconditionFailures: number;
  /** Conditional requests checked (and passed or refused). */
  conditionsChecked: number;
}

export interface FaultProxy {
  endpoint: string;
  stats: FaultStats;
  close(): Promise<void>;
}

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const PRECONDITION = (what: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${what}</Condition></Error>`;

/** Path-style /bucket/key -> [bucket, key]. */
function target(url: string): { bucket: string; key: string; query: URLSearchParams } {
  const u = new URL(url, 'http://x');
  const [, bucket = '', ...rest] = u.pathname.split('/');
  return {
    bucket: decodeURIComponent(bucket),
    key: decodeURIComponent(rest.join('/')),
    query: u.searchParams,
  };
}

/** x-amz-copy-source "bucket/key?versionId=v" (URL-encoded) -> parts. */
function copySource(header: string): { bucket: string; key: string; versionId?: string } {
  const [path = '', query = ''] = header.replace(/^\//, '').split('?');
  const slash = path.indexOf('/');
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return {
    bucket: decodeURIComponent(path.slice(0, slash)),
    key: decodeURIComponent(path.slice(slash + 1)),
    ...(versionId ? { versionId } : {}),
  };
}

async function currentEtag(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<string | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))).ETag;
  } catch {
    return undefined;
  }
}

export async function faultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const up = new URL(opts.upstream);
  const random = rng(opts.seed);
  const stats: FaultStats = {
    requests: 0,
    slowDowns: 0,
    dropsBefore: 0,
    dropsAfter: 0,
    preconditionFailures: 0,
    conditionsChecked: 0,
  };
  const maxFaults = opts.maxFaults ?? 500;
  const faults = () => stats.slowDowns + stats.dropsBefore + stats.dropsAfter;
  // Check-then-forward must not interleave with another write to the same key.
  const locks = new Map<string, Promise<void>>();
  const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    locks.set(
      key,
      prev.then(() => mine),
    );
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  };

  /** The condition that fails, or undefined. */
  async function refused(
    req: http.IncomingMessage,
    bucket: string,
    key: string,
    query: URLSearchParams,
  ): Promise<string | undefined> {
    const s3 = opts.enforceIfMatch;
    if (!s3) return undefined;
    const srcIfMatch = req.headers['x-amz-copy-source-if-match'];
    const src = req.headers['x-amz-copy-source'];
    if (req.method === 'PUT' && typeof src === 'string' && typeof srcIfMatch === 'string') {
      stats.conditionsChecked++;
      const s = copySource(src);
      if ((await currentEtag(s3, s.bucket, s.key, s.versionId)) !== srcIfMatch)
        return 'x-amz-copy-source-If-Match';
    }
    const ifMatch = req.headers['if-match'];
    const isCopy = req.method === 'PUT' && typeof src === 'string' && !query.has('partNumber');
    const isComplete = req.method === 'POST' && query.has('uploadId');
    if ((isCopy || isComplete) && typeof ifMatch === 'string') {
      stats.conditionsChecked++;
      if ((await currentEtag(s3, bucket, key)) !== ifMatch) return 'If-Match';
    }
    return undefined;
  }

  function forward(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
    dropAfter: boolean,
    onHead?: () => Promise<void>,
  ): Promise<void> {
    return new Promise((resolve) => {
      const fwd = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const chunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => chunks.push(c));
          upRes.on('end', () => {
            void (async () => {
              if (onHead) await onHead();
              if (dropAfter) {
                // The server did the work; the client never hears of it.
                req.socket.destroy();
              } else {
                res.writeHead(upRes.statusCode ?? 500, upRes.headers);
                res.end(Buffer.concat(chunks));
              }
              resolve();
            })();
          });
        },
      );
      fwd.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
        resolve();
      });
      fwd.end(body);
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        stats.requests++;
        const body = Buffer.concat(chunks);
        const { bucket, key, query } = target(req.url ?? '/');
        const budget = faults() < maxFaults;
        const roll = random();
        if (budget && roll < (opts.slowDownRate ?? 0)) {
          stats.slowDowns++;
          checkIntercepted(opts.upstream, req, body);
          res.writeHead(503, { 'content-type': 'application/xml' });
          res.end(req.method === 'HEAD' ? undefined : SLOW_DOWN);
          return;
        }
        const drop = budget && roll >= 1 - (opts.dropRate ?? 0);
        const dropBefore = drop && random() < 0.5;
        if (dropBefore) {
          stats.dropsBefore++;
          checkIntercepted(opts.upstream, req, body);
          req.socket.destroy();
          return;
        }
        if (drop) stats.dropsAfter++;
        const onHead =
          req.method === 'HEAD' && key && opts.onHead ? () => opts.onHead!(bucket, key) : undefined;
        const write = req.method === 'PUT' || req.method === 'POST' || req.method === 'DELETE';
        if (!write || !key) return forward(req, body, res, drop, onHead);
        await withLock(`${bucket}/${key}`, async () => {
          const failed = await refused(req, bucket, key, query);
          if (failed) {
            stats.preconditionFailures++;
            checkIntercepted(opts.upstream, req, body);
            res.writeHead(412, { 'content-type': 'application/xml' });
            res.end(PRECONDITION(failed));
            return;
          }
          await forward(req, body, res, drop);
        });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
