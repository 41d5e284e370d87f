// A loopback pass-through proxy that adds network latency: every request waits `delayMs` (plus
// uniform jitter of +-`jitterMs`) before it is forwarded, as a request to S3 over a real network
// would, and a share of requests (`slowDownShare`, 0..1) is answered 503 SlowDown without reaching
// the server, as S3 does under load. The Host header is forwarded unchanged, so SigV4 signatures
// made for the proxy's address stay valid. Benchmarks and integration tests put it in front of
// moto or Ceph RGW; it listens on 127.0.0.1 only and forwards to loopback only.
import http from 'node:http';

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message><RequestId>latency-proxy</RequestId></Error>';

/**
 * @param {string} upstream loopback endpoint, e.g. http://127.0.0.1:5000
 * @param {{ delayMs?: number, jitterMs?: number, slowDownShare?: number, random?: () => number }} [opts]
 */
export async function latencyProxy(upstream, opts = {}) {
  const up = new URL(upstream);
  if (up.hostname !== '127.0.0.1' && up.hostname !== 'localhost')
    throw new Error(`latency proxy: upstream ${upstream} is not loopback`);
  const random = opts.random ?? Math.random;
  const settings = {
    delayMs: opts.delayMs ?? 20,
    jitterMs: opts.jitterMs ?? 0,
    slowDownShare: opts.slowDownShare ?? 0,
  };
  const stats = { requests: 0, slowDowns: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    stats.requests++;
    const jitter = settings.jitterMs > 0 ? (random() * 2 - 1) * settings.jitterMs : 0;
    const wait = Math.max(0, settings.delayMs + jitter);
    const throttle = settings.slowDownShare > 0 && random() < settings.slowDownShare;
    // The body is read (and buffered) during the wait, as it would travel over a slow link.
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        if (throttle) {
          stats.slowDowns++;
          res.writeHead(503, {
            'content-type': 'application/xml',
            'content-length': Buffer.byteLength(SLOW_DOWN),
          });
          res.end(req.method === 'HEAD' ? undefined : SLOW_DOWN);
          return;
        }
        const fwd = http.request(
          {
            host: up.hostname,
            port: up.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent,
          },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
          },
        );
        fwd.on('error', (e) => {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(e));
        });
        fwd.end(Buffer.concat(chunks));
      }, wait);
    });
  });
  // Many clients keep hundreds of sockets open: no per-server connection cap here.
  server.maxConnections = 4096;
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    settings,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

// Stand-alone: node bench/lib/latency-proxy.mjs --upstream http://127.0.0.1:PORT --delay 20 [--jitter 5] [--slowdown 0.05]
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const p = await latencyProxy(arg('upstream'), {
    delayMs: Number(arg('delay', '20')),
    jitterMs: Number(arg('jitter', '0')),
    slowDownShare: Number(arg('slowdown', '0')),
  });
  console.log(p.endpoint);
}
