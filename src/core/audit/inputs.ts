import { UsageError } from '../errors.js';
import { quoted } from '../format.js';

/**
 * The entries of a list file (--accounts, --buckets): one a line; blank lines and `#` comments
 * are skipped; repeats are dropped. An empty list, or any line that is not an entry, refuses the
 * whole file with the line named: auditing a different set than the one written would be worse
 * than stopping.
 */
function entries(
  lines: string[],
  flag: string,
  path: string,
  what: string,
  valid: (s: string) => boolean,
  fix: string,
): string[] {
  const out: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (!valid(line))
      throw new UsageError(
        `${flag} ${path} line ${i + 1}: ${quoted(line)} is not ${what}`,
        fix,
        'InvalidListFile',
      );
    if (!out.includes(line)) out.push(line);
  });
  if (out.length === 0)
    throw new UsageError(
      `${flag} ${path} names no ${what.replace(/^an? /, '')}`,
      `write one ${what.replace(/^an? /, '')} a line (# starts a comment)`,
      'EmptyListFile',
    );
  return out;
}

const ACCOUNT_ID = /^\d{12}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** IAM role names: 1-64 of letters, digits and +=,.@_- (a path is not part of the name). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function accountIds(lines: string[], path: string): string[] {
  return entries(
    lines,
    '--accounts',
    path,
    'an AWS account id',
    (s) => ACCOUNT_ID.test(s),
    'an account id is 12 digits, one a line (keep leading zeros)',
  );
}

export function bucketNames(lines: string[], path: string): string[] {
  return entries(
    lines,
    '--buckets',
    path,
    'a bucket name',
    (s) => BUCKET_NAME.test(s),
    'a bucket name is 3-63 lowercase letters, digits, dots and hyphens (no s3:// prefix), one a line',
  );
}

/** arn:PARTITION:iam::ACCOUNT:role/NAME in the partition of the caller's own ARN. */
export function roleArn(callerArn: string | undefined, account: string, roleName: string): string {
  const partition = /^arn:(aws[a-z-]*):/.exec(callerArn ?? '')?.[1] ?? 'aws';
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
