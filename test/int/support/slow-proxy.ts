// A loopback S3 proxy that answers every request late (a fixed or per-request delay) and changes
// nothing else, so a run over a few hundred objects on moto lasts long enough for its progress line to be redrawn
// several times. The Host header is forwarded as sent, so SigV4 signatures stay valid.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  endpoint: string;
  requests: number;
  close(): Promise<void>;
}

/** `delay`: milliseconds for every request, or per request (by method and URL). */
export async function slowProxy(
  upstream: string,
  delay: number | ((req: http.IncomingMessage) => number),
): Promise<SlowProxy> {
  const up = new URL(upstream);
  const proxy: SlowProxy = { endpoint: '', requests: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    proxy.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(
        () => {
          const fwd = http.request(
            { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
            (upRes) => {
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              upRes.pipe(res);
            },
          );
          fwd.on('error', (e) => {
            res.writeHead(502);
            res.end(String(e));
          });
          fwd.end(Buffer.concat(chunks));
        },
        typeof delay === 'number' ? delay : delay(req),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}
