// Loopback servers that take connections and never answer, for the dead-endpoint tests:
// - blackHole(): every connection is accepted, its bytes read and nothing ever sent back;
// - holdingProxy(): forwards to an upstream (moto) except the requests `hold` picks, which it
//   holds unanswered (a store that dies in the middle of a command), and optionally delays every
//   answer (a slow store, so a run can be interrupted mid-way).
// Both listen on 127.0.0.1 only; close() destroys every connection held.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkIntercepted } from './conformance-intercepted.js';

export interface HoleServer {
  endpoint: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Requests held unanswered so far (holdingProxy) or connections (blackHole). */
  readonly held: number;
  close(): Promise<void>;
}

export async function blackHole(): Promise<HoleServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get held() {
      return connections;
    },
    close: () => closeAll(server, sockets),
  };
}

export interface HoldingProxyOptions {
  upstream: string;
  /** Requests to hold forever instead of forwarding. */
  hold?: (req: http.IncomingMessage) => boolean;
  /** Delay before forwarding a request, in ms (a request whose client left meanwhile is dropped). */
  delayMs?: (req: http.IncomingMessage) => number;
}

export async function holdingProxy(opts: HoldingProxyOptions): Promise<HoleServer> {
  const up = new URL(opts.upstream);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let held = 0;
  let forwarding = 0;
  let idle: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (opts.hold?.(req)) {
        held++;
        checkIntercepted(opts.upstream, req, Buffer.concat(chunks));
        return; // never answered
      }
      let gone = false;
      res.on('close', () => (gone = true));
      setTimeout(
        () => {
          // The client gave up while the request waited: the store never sees it.
          if (gone) {
            checkIntercepted(opts.upstream, req, Buffer.concat(chunks));
            return;
          }
          forwarding++;
          let settled = false;
          const done = (): void => {
            if (settled) return;
            settled = true;
            forwarding--;
            if (forwarding === 0) idle?.();
          };
          const fwd = http.request(
            { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
            (upRes) => {
              upRes.once('end', done);
              upRes.once('close', done);
              upRes.once('error', done);
              // A client that left still lets the store's answer drain, so the request ends.
              res.once('close', () => upRes.resume());
              if (res.destroyed) {
                upRes.resume();
                return;
              }
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              upRes.pipe(res);
            },
          );
          fwd.on('error', (e) => {
            if (!res.headersSent && !res.destroyed) res.writeHead(502);
            res.end(String(e));
            done();
          });
          fwd.end(Buffer.concat(chunks));
        },
        opts.delayMs?.(req) ?? 0,
      );
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get held() {
      return held;
    },
    // Requests already at the store finish first: a later run must not race them.
    close: async () => {
      if (forwarding > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
          setTimeout(resolve, 10_000).unref();
        });
      await closeAll(server, sockets);
    },
  };
}

function closeAll(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
