import { actionMatches, coversAction, type ReadStatement } from '../policy/read-policy.js';

const SSE_HEADER = 's3:x-amz-server-side-encryption';
const S3_ARN_CONTEXT = 'kms:encryptioncontext:aws:s3:arn';

const label = (s: ReadStatement, i: number): string => (s.sid ? `"${s.sid}"` : `#${i + 1}`);

/**
 * Statements that only let writes through with `x-amz-server-side-encryption: AES256`: a Deny
 * unless the header is AES256, or an Allow only when it is. Writers are then forced to SSE-S3 and
 * SSE-KMS copies are denied.
 */
export function sseS3Requirements(statements: ReadStatement[]): string[] {
  const out: string[] = [];
  statements.forEach((s, i) => {
    for (const c of s.conditions) {
      if (c.key !== SSE_HEADER) continue;
      const aes = c.values.some((v) => v.toUpperCase() === 'AES256');
      const kms = c.values.some((v) => v.toLowerCase().startsWith('aws:kms'));
      if (!aes || kms) continue;
      const negative = /^StringNot/i.test(c.operator);
      const positive = /^String(Equals|Like)/i.test(c.operator);
      if ((s.effect === 'Deny' && negative) || (s.effect === 'Allow' && positive))
        out.push(`${label(s, i)} (${s.effect} ${c.operator} ${SSE_HEADER} = AES256)`);
    }
  });
  return out;
}

/**
 * Conditions on the S3 encryption context naming object ARNs (`arn:aws:s3:::bucket/path`). With
 * S3 Bucket Keys the context is the bucket ARN, so these conditions stop matching.
 */
export function objectArnContexts(statements: ReadStatement[]): string[] {
  const out: string[] = [];
  statements.forEach((s, i) => {
    for (const c of s.conditions) {
      if (c.key !== S3_ARN_CONTEXT) continue;
      const objectValues = c.values.filter((v) => /^arn:aws[a-z-]*:s3:::[^/]+\/./.test(v));
      if (objectValues.length > 0) out.push(`${label(s, i)} (${c.operator} ${objectValues.join(', ')})`);
    }
  });
  return out;
}

function principalCoversAccount(p: string, account: string): boolean {
  if (p === account) return true;
  const root = `arn:aws:iam::${account}:root`;
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p)) return p.split(':')[4] === account;
  return p.includes('*') && p !== '*' && actionMatches(p, root);
}

function conditionPinsAccount(s: ReadStatement, account: string): boolean {
  return s.conditions.some(
    (c) =>
      (c.key === 'kms:calleraccount' || c.key === 'aws:principalaccount') &&
      /^StringEquals/i.test(c.operator) &&
      c.values.includes(account),
  );
}

/**
 * The key-policy statement that lets principals of `account` (through IAM) use the key for S3:
 * Allow kms:GenerateDataKey and kms:Decrypt to the account root (or an account-wide pattern, or
 * `*` pinned to the account by kms:CallerAccount). Returns its label, or undefined.
 */
export function accountGrant(statements: ReadStatement[], account: string): string | undefined {
  for (const [i, s] of statements.entries()) {
    if (s.effect !== 'Allow') continue;
    if (!coversAction(s, 'kms:GenerateDataKey') || !coversAction(s, 'kms:Decrypt')) continue;
    const ok = s.principals.some(
      (p) => principalCoversAccount(p, account) || (p === '*' && conditionPinsAccount(s, account)),
    );
    if (ok) return label(s, i);
  }
  return undefined;
}
