// A loopback S3 proxy that lies, for the tests that prove a verdict cannot be faked: it forwards
// every request to the real server (moto, Ceph RGW) with its Host header (SigV4 stays valid) and,
// where the current `lie` says so, answers in its place or alters the real answer:
// - `answer`: a status with no body (what a HEAD refusal looks like), or an S3 error document;
// - `strip`: the real answer without some headers (a 200 that lacks what a store sends);
// - `listing`: a ListObjectsV2 page with one key repeated, or one key dropped (KeyCount kept).
// `lie` can be changed between runs of the CLI (fault on, then off for the rerun), and sees a
// running count of object requests so a fault can start half way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkIntercepted } from './conformance-intercepted.js';

export interface Seen {
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
  /** Object requests (those naming a key) before this one. */
  objectRequests: number;
}

export type Lie =
  | undefined
  | { answer: { status: number; code?: string; message?: string } }
  | { strip: string[] }
  | { listing: 'repeat' | 'skip' };

export interface LiarProxy {
  endpoint: string;
  lie: (req: Seen) => Lie;
  /** Requests answered or altered by a lie. */
  lies: number;
  close(): Promise<void>;
}

export async function liarProxy(upstream: string): Promise<LiarProxy> {
  const up = new URL(upstream);
  let objectRequests = 0;
  const proxy: LiarProxy = {
    endpoint: '',
    lie: () => undefined,
    lies: 0,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const [, bucket = '', ...rest] = u.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const seen: Seen = {
        method: req.method ?? '',
        bucket: decodeURIComponent(bucket),
        key,
        query: u.searchParams,
        objectRequests,
      };
      if (key !== '') objectRequests++;
      const lie = proxy.lie(seen);
      if (lie && 'answer' in lie) {
        proxy.lies++;
        checkIntercepted(upstream, req, Buffer.concat(chunks));
        const { status, code, message } = lie.answer;
        if (code === undefined || req.method === 'HEAD') {
          res.writeHead(status, { 'content-length': '0' });
          res.end();
        } else {
          const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message ?? code}</Message><RequestId>liar</RequestId></Error>`;
          res.writeHead(status, {
            'content-type': 'application/xml',
            'content-length': Buffer.byteLength(xml),
          });
          res.end(xml);
        }
        return;
      }
      const fwd = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            const headers = { ...upRes.headers };
            let out = Buffer.concat(body);
            if (lie && 'strip' in lie) {
              proxy.lies++;
              for (const name of lie.strip) delete headers[name];
            }
            if (lie && 'listing' in lie && upRes.statusCode === 200) {
              const altered = alterListing(out.toString('utf8'), lie.listing);
              if (altered !== undefined) {
                proxy.lies++;
                out = Buffer.from(altered, 'utf8');
              }
            }
            // The body was read whole: send it with its length (a chunked answer, as Ceph RGW
            // sends listings, must not carry both).
            delete headers['transfer-encoding'];
            if (req.method !== 'HEAD') headers['content-length'] = String(out.length);
            res.writeHead(upRes.statusCode ?? 502, headers);
            res.end(req.method === 'HEAD' ? undefined : out);
          });
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
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** One Contents entry repeated, or one dropped (KeyCount left as the store sent it). */
function alterListing(xml: string, how: 'repeat' | 'skip'): string | undefined {
  const entries = [...xml.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)];
  const second = entries[1];
  if (!second || second.index === undefined) return undefined;
  const at = second.index;
  const text = second[0];
  return how === 'repeat'
    ? xml.slice(0, at + text.length) + text + xml.slice(at + text.length)
    : xml.slice(0, at) + xml.slice(at + text.length);
}
