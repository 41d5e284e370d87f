// What reading one request back gives: its service, operation and input, and the violations.
import type { Violation } from './check-input.js';
import type { ServiceName } from './models.js';

export interface WireResult {
  service?: ServiceName;
  operation?: string;
  input?: Record<string, unknown>;
  violations: Violation[];
}

/** A request no model explains: a violation, never a pass. */
export function unknownRequest(what: string, why: string, service?: ServiceName): WireResult {
  return {
    ...(service ? { service } : {}),
    violations: [{ path: '', rule: 'unknown-operation', message: `${what}: ${why}` }],
  };
}
