import type { AgentOptions as HttpAgentOptions } from 'node:http';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  mayAnswerLate,
  NoAnswerError,
  originOf,
  type RequestLimits,
  type TimeoutPhase,
} from './request-limits.js';
import { sdk } from './sdk.js';

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type SdkRequest = HandleArgs[0];
type HandleOptions = NonNullable<HandleArgs[1]>;

/** What a client's requests are bounded by: the lean path reads it from the client (lean-send.ts). */
export interface RequestBounds {
  limits: RequestLimits;
  /** The run's interrupt: every request in flight is aborted when it fires. */
  signal?: AbortSignal | undefined;
}

const boundsByHandler = new WeakMap<object, RequestBounds>();

/**
 * The SDK's own Node handler with the run's limits (request-limits.ts) and interrupt:
 * `connectionTimeout` for the connect, `requestTimeout` (with throwOnRequestTimeout, else the SDK
 * only logs a warning) from sending to the response headers, chosen per request, and
 * `socketTimeout` for silence once the body flows. Every request listens to `signal`, as if each
 * `send` had been given it as `abortSignal` (with `send`'s own signal, when one is given), so no
 * call site has to remember it and the client's middleware cache stays in use. Timeouts are
 * rethrown as NoAnswerError, which names the wait and the endpoint.
 */
export function boundedHttpHandler(
  bounds: RequestBounds,
  agent?: { lookup?: NonNullable<HttpAgentOptions['lookup']> },
): NodeHttpHandler {
  const { limits, signal } = bounds;
  class BoundedHttpHandler extends sdk.httpHandler.NodeHttpHandler {
    override async handle(request: SdkRequest, options: HandleOptions = {}) {
      const late = mayAnswerLate({
        method: request.method,
        headers: request.headers,
        query: request.query,
        bodyBytes: bodyBytes(request.body),
      });
      const responseMs = late ? limits.idleMs : limits.responseMs;
      try {
        return await super.handle(request, {
          ...options,
          abortSignal: either(options.abortSignal as AbortSignal | undefined, signal),
          requestTimeout: responseMs,
        });
      } catch (err) {
        const phase = timeoutPhase(err);
        if (!phase) throw err;
        const ms = phase === 'connect' ? limits.connectMs : phase === 'response' ? responseMs : limits.idleMs;
        const origin = originOf(request.protocol, request.hostname, request.port);
        throw new NoAnswerError(phase, ms, origin, { cause: err });
      }
    }
  }
  const handler = new BoundedHttpHandler({
    connectionTimeout: limits.connectMs,
    requestTimeout: limits.responseMs,
    throwOnRequestTimeout: true,
    socketTimeout: limits.idleMs,
    // keepAlive as the handler's own default agent has it; a lookup only where a client asks
    ...(agent?.lookup
      ? {
          httpAgent: { keepAlive: true, lookup: agent.lookup },
          httpsAgent: { keepAlive: true, lookup: agent.lookup },
        }
      : {}),
  });
  boundsByHandler.set(handler, bounds);
  return handler;
}

/** The bounds a client was built with (its requestHandler), for requests sent beside the SDK. */
export function boundsOf(client: { config: { requestHandler?: unknown } }): RequestBounds | undefined {
  const h = client.config.requestHandler;
  return h && typeof h === 'object' ? boundsByHandler.get(h) : undefined;
}

/** Which of the handler's waits ran out, from the errors @smithy/node-http-handler raises. */
function timeoutPhase(err: unknown): TimeoutPhase | undefined {
  const e = err as { name?: unknown; message?: unknown } | undefined;
  if (e?.name !== 'TimeoutError' || typeof e.message !== 'string') return undefined;
  if (/establish a connection/.test(e.message)) return 'connect';
  if (/requestTimeout/.test(e.message)) return 'response';
  if (/inactivity/.test(e.message)) return 'idle';
  return undefined;
}

function bodyBytes(body: unknown): number | undefined {
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  // A stream or another unknown body: its length is not known before it is sent.
  return Infinity;
}

function either(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b || a === b) return a ?? b;
  return AbortSignal.any([a, b]);
}
