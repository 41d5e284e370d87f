import type { PolicyDocument } from './document.js';

/**
 * Actions IAM cannot scope to a resource: the Service Authorization Reference lists no resource
 * type for them, so a statement must say Resource "*" or the action is never allowed. Such a
 * statement is accepted only with a Condition that narrows it.
 */
const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set(['s3:CreateJob']);

/** A `*` is allowed only as the last segment after a concrete prefix: `bucket/*`, `bucket/pfx/*`, `job/*`. */
const SCOPED_WILDCARD = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^*]+\/\*$/;

/**
 * Every way a generated document could be broader than it must be. Empty means least privilege:
 * no wildcard action, no `*` resource (save the documented exception), no Not* elements, no
 * anonymous principal, wildcards only as a trailing `/*` under a named bucket or prefix.
 */
export function leastPrivilegeViolations(doc: PolicyDocument): string[] {
  const out: string[] = [];
  doc.Statement.forEach((s, i) => {
    const where = `statement ${s.Sid || i}`;
    const raw = s as Record<string, unknown>;
    for (const k of ['NotAction', 'NotResource', 'NotPrincipal'])
      if (k in raw) out.push(`${where}: uses ${k}`);
    for (const a of s.Action)
      if (a.includes('*') || a.includes('?')) out.push(`${where}: wildcard action ${a}`);
    for (const p of [...(s.Principal?.AWS ?? []), ...(s.Principal?.Service ?? [])])
      if (p.includes('*')) out.push(`${where}: wildcard principal ${p}`);
    for (const r of s.Resource ?? []) {
      if (r === '*') {
        const exempt =
          s.Action.every((a) => ACTIONS_WITHOUT_RESOURCE_TYPES.has(a)) &&
          s.Condition !== undefined &&
          Object.keys(s.Condition).length > 0;
        if (!exempt) out.push(`${where}: Resource "*"`);
      } else if (r.includes('*') && !SCOPED_WILDCARD.test(r)) {
        out.push(`${where}: unscoped wildcard resource ${r}`);
      } else if (!r.startsWith('arn:')) {
        out.push(`${where}: resource ${r} is not an ARN`);
      }
    }
  });
  return out;
}
