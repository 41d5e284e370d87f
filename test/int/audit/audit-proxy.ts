// The proxy audit's acceptance test puts in front of moto: it answers AccessDenied for chosen
// requests (moto does not enforce bucket policies for these principals), restores the
// OptionalFields that moto's ListBucketInventoryConfigurations loses (it lists
// <Field>Field</Field>; GetBucketInventoryConfiguration is right), passes every other answer
// through byte for byte (inventory data files are gzip), and records every request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuditProxy {
  endpoint: string;
  requests: { method: string; url: string }[];
  denied: { method: string; url: string }[];
  close(): Promise<void>;
}

const FIELDS =
  '<OptionalFields><Field>Size</Field><Field>StorageClass</Field><Field>EncryptionStatus</Field><Field>BucketKeyStatus</Field></OptionalFields>';

export async function auditProxy(
  upstream: string,
  deny: (req: { method: string; url: string }) => boolean,
): Promise<AuditProxy> {
  const up = new URL(upstream);
  const requests: AuditProxy['requests'] = [];
  const denied: AuditProxy['denied'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
      requests.push(seen);
      if (deny(seen)) {
        denied.push(seen);
        const body =
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
        res.writeHead(403, {
          'content-type': 'application/xml',
          'content-length': String(Buffer.byteLength(body)),
        });
        res.end(body);
        return;
      }
      const listsInventory =
        seen.method === 'GET' && /[?&]inventory(=|&|$)/.test(seen.url) && !/[?&]id=/.test(seen.url);
      const fwd = http.request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (upRes) => {
          if (!listsInventory) {
            res.writeHead(upRes.statusCode ?? 500, upRes.headers);
            upRes.pipe(res);
            return;
          }
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', () => {
            const text = Buffer.concat(out)
              .toString('utf8')
              .replaceAll('<OptionalFields><Field>Field</Field></OptionalFields>', FIELDS);
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
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    denied,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
