// A loopback proxy that puts every request through the conformance check of AWS's own models
// (test/support/aws-model/wire.ts) and forwards it, untouched and with its Host header (SigV4
// stays valid), to the real server. The integration tiers' global setup stands it in front of
// moto / Ceph RGW and hands its address to the tests as the target endpoint, so every request a
// test's CLI run (or SDK client, or fault / liar proxy chained to target().endpoint) sends is
// judged; the run fails at teardown listing each violation (conformance-report.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Violation } from '../../support/aws-model/check-input.js';
import { checkWire } from '../../support/aws-model/wire.js';

interface CheckedRequest {
  method: string;
  url: string;
  service?: string;
  operation?: string;
  /** The sender, from its User-Agent: the lean clients' `s3-encrypt/x.y.z`, or the SDK's. */
  agent?: string;
  violations: Violation[];
}

export interface ConformanceLog {
  /** Requests seen per "service Operation" ("?" for the ones no model knows). */
  seen: Record<string, number>;
  /** Every request with at least one violation (the first 500). */
  failed: CheckedRequest[];
  failedCount: number;
}

export interface ConformanceProxy {
  endpoint: string;
  log: ConformanceLog;
  close(): Promise<void>;
}

const KEEP_FAILED = 500;

/** A copy of a request a test's own proxy answered itself: judge it, do not forward it. */
export const CHECK_ONLY = 'x-s3e-conformance-check-only';

function judge(
  log: ConformanceLog,
  req: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer },
): CheckedRequest {
  let checked: CheckedRequest;
  try {
    const r = checkWire(req);
    checked = {
      method: req.method,
      url: req.url,
      ...(r.service ? { service: r.service } : {}),
      ...(r.operation ? { operation: r.operation } : {}),
      violations: r.violations,
    };
  } catch (e) {
    // The checker itself failed on this request: unknown is never reported as fine.
    checked = {
      method: req.method,
      url: req.url,
      violations: [{ path: '', rule: 'checker-error', message: (e as Error).stack ?? String(e) }],
    };
  }
  const agent = req.headers['user-agent']?.split(' ')[0];
  if (agent) checked.agent = agent;
  const name = `${checked.service ?? '?'} ${checked.operation ?? '?'}`;
  log.seen[name] = (log.seen[name] ?? 0) + 1;
  if (checked.violations.length) {
    log.failedCount++;
    if (log.failed.length < KEEP_FAILED) log.failed.push(checked);
  }
  return checked;
}

export async function conformanceProxy(upstream: string): Promise<ConformanceProxy> {
  const up = new URL(upstream);
  const log: ConformanceLog = { seen: {}, failed: [], failedCount: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.headers[CHECK_ONLY] !== undefined) {
        const headers = { ...req.headers };
        delete headers[CHECK_ONLY];
        judge(log, { method: req.method ?? 'GET', url: req.url ?? '/', headers, body });
        res.writeHead(204).end();
        return;
      }
      judge(log, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      const fwd = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, upRes.rawHeaders);
          upRes.pipe(res);
          upRes.on('error', () => res.destroy());
        },
      );
      // The server dropped the connection: so does the proxy, as the client would have seen it.
      fwd.on('error', () => req.socket.destroy());
      res.on('close', () => {
        if (!res.writableFinished) fwd.destroy();
      });
      fwd.end(body);
    });
  });
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
