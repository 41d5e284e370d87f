// Requests a test's own proxy answers itself (a lie, a 503, a held request) never reach the
// tier's conformance proxy, yet the CLI sent them: this hands a copy to it for checking only
// (it judges the copy and answers 204; the server never sees it). Only when the test proxy's
// upstream IS the checked endpoint, so a copy can never reach a real server as a second request.
import http from 'node:http';
import { inject } from 'vitest';
import { CHECK_ONLY } from './conformance-proxy.js';

export function checkIntercepted(
  upstream: string,
  req: { method?: string | undefined; url?: string | undefined; headers: http.IncomingHttpHeaders },
  body: Buffer,
  checked: string | undefined = inject('s3eTarget')?.endpoint,
): void {
  if (!checked || upstream.replace(/\/+$/, '') !== checked) return;
  const up = new URL(checked);
  const copy = http.request({
    host: up.hostname,
    port: up.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, [CHECK_ONLY]: '1' },
  });
  copy.on('response', (res) => res.resume());
  copy.on('error', () => undefined); // the run's end closed the checker: nothing left to tell
  copy.end(body);
}
