/**
 * Reading policies someone else wrote (bucket policies, key policies): IAM allows a string or a
 * list almost everywhere, any case for condition operators, and set prefixes (ForAnyValue:).
 * This flattens all of that so the findings in src/core/plan can ask simple questions.
 */

interface ConditionClause {
  /** Operator without set prefix or IfExists suffix, e.g. StringNotEquals. */
  operator: string;
  /** Lower-cased condition key, e.g. s3:x-amz-server-side-encryption. */
  key: string;
  values: string[];
}

export interface ReadStatement {
  sid?: string | undefined;
  effect: 'Allow' | 'Deny';
  /** AWS and Service principals; '*' for an anonymous principal. Empty in identity policies. */
  principals: string[];
  actions: string[];
  /** True when the statement used NotAction: `actions` then lists what is excluded. */
  notAction: boolean;
  resources: string[];
  conditions: ConditionClause[];
}

const list = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.map((x) => String(x))
      : [typeof v === 'string' ? v : JSON.stringify(v)];

/** Parse a policy JSON text; returns undefined when it is not a policy document. */
export function readPolicy(text: string): ReadStatement[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!statements) return undefined;
  return statements
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
    .map((s) => ({
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      principals: principals(s.Principal),
      actions: list(s.Action ?? s.NotAction),
      notAction: s.NotAction !== undefined && s.Action === undefined,
      resources: list(s.Resource ?? s.NotResource),
      conditions: conditions(s.Condition),
    }));
}

function principals(p: unknown): string[] {
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  const o = p as Record<string, unknown>;
  return [...list(o.AWS), ...list(o.Service)];
}

function conditions(c: unknown): ConditionClause[] {
  if (!c || typeof c !== 'object') return [];
  const out: ConditionClause[] = [];
  for (const [op, block] of Object.entries(c as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    const operator = op.replace(/^(ForAnyValue|ForAllValues):/i, '').replace(/IfExists$/i, '');
    for (const [key, values] of Object.entries(block as Record<string, unknown>))
      out.push({ operator, key: key.toLowerCase(), values: list(values) });
  }
  return out;
}

/** IAM action glob match (`*`, `?`), case-insensitive like IAM. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(action);
}

/** Does the statement's action list cover `action` (taking NotAction into account)? */
export function coversAction(s: ReadStatement, action: string): boolean {
  const hit = s.actions.some((p) => actionMatches(p, action));
  return s.notAction ? !hit : hit;
}
