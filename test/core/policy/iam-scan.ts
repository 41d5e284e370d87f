// Independent checks of printed IAM documents: a zod schema of IAM policy documents (written here,
// not imported from src) and a recursive scan for wildcards in Action/Resource.
import { z } from 'zod';

const S = z.array(z.string().min(1)).min(1);
const IamStatement = z.strictObject({
  Sid: z.string().regex(/^[A-Za-z0-9]+$/),
  Effect: z.enum(['Allow', 'Deny']),
  Principal: z.strictObject({ AWS: S.optional(), Service: S.optional() }).optional(),
  Action: S,
  Resource: S.optional(),
  Condition: z.record(z.string(), z.record(z.string(), S)).optional(),
});
export const IamPolicy = z.strictObject({
  Version: z.literal('2012-10-17'),
  Statement: z.array(IamStatement).min(1),
});

export interface WildcardHit {
  path: string;
  value: string;
}

/**
 * Every Action/NotAction value containing `*`, every Resource/NotResource that is `*` or wildcards
 * anything but a trailing `/*` under a named bucket or job path, and any Not* key, found by walking
 * the whole document recursively.
 */
export function scanWildcards(doc: unknown, path = '$'): WildcardHit[] {
  const hits: WildcardHit[] = [];
  const values = (v: unknown): string[] =>
    Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
  if (Array.isArray(doc)) doc.forEach((d, i) => hits.push(...scanWildcards(d, `${path}[${i}]`)));
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      const here = `${path}.${k}`;
      if (k.startsWith('Not')) hits.push({ path: here, value: JSON.stringify(v) });
      if (k === 'Action') for (const a of values(v)) if (a.includes('*')) hits.push({ path: here, value: a });
      if (k === 'Resource')
        for (const r of values(v))
          if (
            r === '*' ||
            (r.includes('*') && !/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^*]+\/\*$/.test(r))
          )
            hits.push({ path: here, value: r });
      hits.push(...scanWildcards(v, here));
    }
  }
  return hits;
}
