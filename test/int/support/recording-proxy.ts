// A loopback HTTP proxy in front of a test server that records every request and may rewrite
// response bodies: it proves what the CLI sends on the wire where the server itself forgets
// (moto drops BlockedEncryptionTypes from bucket encryption configurations).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  body: string;
}

export interface RecordingProxy {
  endpoint: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function recordingProxy(
  upstream: string,
  rewrite: (req: Recorded, body: string) => string = (_r, b) => b,
): Promise<RecordingProxy> {
  const up = new URL(upstream);
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rec = { method: req.method ?? 'GET', url: req.url ?? '/', body: body.toString('utf8') };
      requests.push(rec);
      const fwd = http.request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', () => {
            const text = rewrite(rec, Buffer.concat(out).toString('utf8'));
            const headers = { ...upRes.headers, 'content-length': String(Buffer.byteLength(text)) };
            delete headers['transfer-encoding'];
            res.writeHead(upRes.statusCode ?? 500, headers);
            res.end(text);
          });
        },
      );
      fwd.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
