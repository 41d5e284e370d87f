// Types for count-proxy.mjs (used by the strict TypeScript unit test).
export function operationOf(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
): string;
export interface CountingProxy {
  endpoint: string;
  counts: Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}
export function countingProxy(upstream: string): Promise<CountingProxy>;
