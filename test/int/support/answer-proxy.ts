// A loopback proxy in front of a test server that answers chosen requests itself (a 500 on one
// call, a body that is not XML) and forwards every other one unchanged. It shows what a command
// does when one call of several fails, where the server itself never fails it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkIntercepted } from './conformance-intercepted.js';

export interface ProxiedRequest {
  method: string;
  /** Path and query, e.g. /bucket?inventory&id=x */
  url: string;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface AnswerProxy {
  endpoint: string;
  /** Requests answered by the proxy itself. */
  answered: ProxiedRequest[];
  /** Every request, in order. */
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function answerProxy(
  upstream: string,
  answer: (req: ProxiedRequest) => Answer | undefined,
): Promise<AnswerProxy> {
  const up = new URL(upstream);
  const answered: ProxiedRequest[] = [];
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
      requests.push(seen);
      const own = answer(seen);
      if (own) {
        answered.push(seen);
        checkIntercepted(upstream, req, Buffer.concat(chunks));
        res.writeHead(own.status, {
          'content-type': 'application/xml',
          'content-length': String(Buffer.byteLength(own.body)),
          ...own.headers,
        });
        res.end(own.body);
        return;
      }
      const fwd = http.request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 500, upRes.headers);
          upRes.pipe(res);
        },
      );
      fwd.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    answered,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The S3 error document a store sends with a 5xx. */
export function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
}
