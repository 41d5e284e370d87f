import type { ObjectResult } from './types.js';

/** The per-object line of --json and --report: key, versionId, action, outcome, reason, bytes, ms. */
export function resultRecord(r: ObjectResult): Record<string, unknown> {
  return {
    key: r.key,
    versionId: r.versionId ?? null,
    action: r.action,
    outcome: r.outcome,
    reason: r.reason ?? null,
    bytes: r.bytes,
    ms: Math.round(r.ms),
    ...(r.before !== undefined ? { before: r.before } : {}),
    ...(r.parts !== undefined ? { parts: r.parts } : {}),
  };
}
