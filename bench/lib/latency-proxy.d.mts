// Types for latency-proxy.mjs (used by the strict TypeScript integration test).
export interface LatencyProxy {
  endpoint: string;
  stats: { requests: number; slowDowns: number };
  settings: { delayMs: number; jitterMs: number; slowDownShare: number };
  close(): Promise<void>;
}
export function latencyProxy(
  upstream: string,
  opts?: { delayMs?: number; jitterMs?: number; slowDownShare?: number; random?: () => number },
): Promise<LatencyProxy>;
