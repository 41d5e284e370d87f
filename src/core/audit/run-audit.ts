import { pool } from '../concurrency/pool.js';
import type { PriceTable } from '../cost/prices.js';
import { InterruptedError } from '../errors.js';
import { shortKeyId, type ResolvedKey } from '../kms/key.js';
import type { CountBytes } from '../inventory/manifest-summary.js';
import { auditBucket, type AuditedAccount } from './audit-bucket.js';
import { roleArn } from './inputs.js';
import type { AccountAccess, AuditDirectory, CallerIdentity } from './ports.js';
import { attempt, deniedActions } from './problems.js';
import type { AccountRecord, AuditRecord, AuditResult, AuditSummary, BucketRecord } from './records.js';

/** Where the accounts come from: the caller's credentials (one per --profile), or roles in a list of accounts. */
export type AccountSource =
  | { kind: 'profiles'; profiles: (string | undefined)[] }
  | { kind: 'roles'; profile: string | undefined; roleName: string; accounts: string[] | 'org' };

export interface AuditInput {
  /** --kms-key as given (checked by parseKeyRef): a key ARN is compared as is, anything else resolved per account and region. */
  kmsKey: string;
  accounts: AccountSource;
  /** --buckets FILE: only these; otherwise every bucket ListBuckets shows. */
  buckets?: string[] | undefined;
  bucketPrefix?: string | undefined;
  sample?: number | undefined;
  /** Buckets audited at once. */
  concurrency: number;
  prices: PriceTable;
  toolVersion: string;
  now: () => Date;
  signal?: AbortSignal | undefined;
  /** Progress: the number of buckets, once known; then each record as it is done. */
  onTotal?: ((buckets: number) => void) | undefined;
  onRecord?: ((r: AuditRecord) => void) | undefined;
}

const AUDIT_SESSION_NAME = 's3-encrypt-audit';

interface Entered {
  accounts: AuditedAccount[];
  identities: { account: string | null; via: string; principal: string | null }[];
  failed: AccountRecord[];
  ranBy: CallerIdentity | null;
  skipped: { account: string; status: string }[];
}

/**
 * audit: read every bucket of every account (never writing), judge each, and sum up. A bucket or
 * an account that cannot be read is a row with the missing permission; only the user's interrupt
 * or an unreachable endpoint stop the run, and bad input (an unknown profile) stops it before the
 * first bucket.
 */
export async function runAudit(dir: AuditDirectory, input: AuditInput): Promise<AuditResult> {
  const startedAt = input.now().toISOString();
  const entered = await enterAccounts(dir, input);
  const records: AuditRecord[] = [...entered.failed];
  const work: { account: AuditedAccount; bucket: string }[] = [];
  const wanted = input.buckets ? new Set(input.buckets) : undefined;
  const found = new Set<string>();
  const direct = input.buckets !== undefined && entered.accounts.length === 1 && entered.failed.length === 0;
  for (const account of entered.accounts) {
    let names: string[];
    if (direct) names = input.buckets as string[];
    else {
      const listed = await attempt('s3:ListAllMyBuckets', () => account.access.listBuckets());
      if (!listed.ok) {
        records.push(
          accountRecord(account.account, account.via, [listed.problem], 'its buckets could not be listed'),
        );
        continue;
      }
      names = listed.value.filter((b) => !wanted || wanted.has(b));
    }
    for (const bucket of names) {
      if (input.bucketPrefix !== undefined && !bucket.startsWith(input.bucketPrefix)) continue;
      found.add(bucket);
      work.push({ account, bucket });
    }
  }
  // Named buckets no account showed: rows, not silence (a typo, or an account left out).
  for (const b of input.buckets ?? [])
    if (!found.has(b) && (input.bucketPrefix === undefined || b.startsWith(input.bucketPrefix)))
      records.push(missingBucket(b));
  // The rows already made (named buckets no account showed) count too: the bar ends at its total.
  input.onTotal?.(work.length + records.filter((r) => r.type === 'bucket').length);
  for (const r of records) input.onRecord?.(r);
  const opts = {
    kmsKey: input.kmsKey,
    now: input.now,
    sample: input.sample,
    prices: input.prices,
    signal: input.signal,
  };
  for await (const r of pool(
    work,
    input.concurrency,
    (w) => auditBucket(w.account, w.bucket, opts),
    input.signal,
  )) {
    records.push(r);
    input.onRecord?.(r);
  }
  if (input.signal?.aborted)
    throw new InterruptedError(
      `interrupted after ${records.filter((r) => r.type === 'bucket').length} of ${work.length} buckets`,
      'run audit again (it only reads)',
    );
  records.sort(order);
  return {
    records,
    summary: summarize(records, {
      kmsKey: input.kmsKey,
      ranBy: entered.ranBy,
      accounts: entered.identities,
      skippedAccounts: entered.skipped,
      startedAt,
      finishedAt: input.now().toISOString(),
      toolVersion: input.toolVersion,
      sample: input.sample ?? null,
    }),
  };
}

async function enterAccounts(dir: AuditDirectory, input: AuditInput): Promise<Entered> {
  const src = input.accounts;
  const out: Entered = { accounts: [], identities: [], failed: [], ranBy: null, skipped: [] };
  const add = (
    access: AccountAccess,
    account: string | null,
    via: string,
    principal: string | null,
    profile?: string,
  ) => {
    out.accounts.push({ access, account, via, profile, targetKey: keyResolver(access, input.kmsKey) });
    out.identities.push({ account, via, principal });
  };
  if (src.kind === 'profiles') {
    for (const profile of src.profiles) {
      const via = profile ? `profile ${profile}` : 'default credentials';
      const access = await dir.open(profile);
      // With one set of credentials, one that STS refuses is the whole run's problem: stop with its line.
      const who =
        src.profiles.length === 1
          ? { ok: true as const, value: await access.identity() }
          : await attempt('sts:GetCallerIdentity', () => access.identity());
      if (!who.ok) {
        out.failed.push(accountRecord(null, via, [who.problem], 'its credentials were refused'));
        continue;
      }
      out.ranBy ??= who.value;
      // Two profiles into one account (or one profile given twice): its buckets once, not twice
      // over in every count and cost of the summary.
      const first = out.identities.find((i) => i.account !== null && i.account === who.value.account);
      if (first) {
        out.skipped.push({
          account: who.value.account,
          status: `${REACHED_AGAIN} ${via} (audited through ${first.via})`,
        });
        continue;
      }
      add(access, who.value.account, via, who.value.arn, profile);
    }
    return out;
  }
  const base = await dir.open(src.profile);
  const me = await base.identity();
  out.ranBy = me;
  let ids: string[];
  if (src.accounts === 'org') {
    ids = [];
    for (const a of await base.organizationAccounts()) {
      if (a.status === 'ACTIVE') ids.push(a.id);
      else out.skipped.push({ account: a.id, status: a.status });
    }
  } else ids = src.accounts;
  for (const id of ids) {
    const arn = roleArn(me.arn, id, src.roleName);
    const assumed = await attempt('sts:AssumeRole', () => base.assumeRole(arn, AUDIT_SESSION_NAME));
    if (!assumed.ok) {
      out.failed.push(accountRecord(id, arn, [assumed.problem], `role ${arn} could not be assumed`));
      continue;
    }
    const who = await attempt('sts:GetCallerIdentity', () => assumed.value.identity());
    add(assumed.value, id, arn, who.ok ? who.value.arn : null);
  }
  return out;
}

/** The target key per region of one account: a key ARN as given; an alias or key id through DescribeKey there. */
function keyResolver(access: AccountAccess, ref: string): AuditedAccount['targetKey'] {
  const cache = new Map<string, ReturnType<AuditedAccount['targetKey']>>();
  return (region) => {
    let p = cache.get(region);
    if (!p) {
      p = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//.test(ref)
        ? Promise.resolve({ key: { id: ref, shortId: shortKeyId(ref), checked: false } })
        : attempt('kms:DescribeKey', () => access.inRegion(region).keys.describeKey(ref)).then((d) =>
            d.ok
              ? { key: { id: d.value.arn, shortId: d.value.keyId, checked: true } satisfies ResolvedKey }
              : { problem: { ...d.problem, message: `${d.problem.message} (the target key in ${region})` } },
          );
      cache.set(region, p);
    }
    return p;
  };
}

function accountRecord(
  account: string | null,
  via: string,
  problems: AccountRecord['problems'],
  why: string,
): AccountRecord {
  const denied = deniedActions(problems);
  return {
    type: 'account',
    account,
    via,
    verdict: 'unknown',
    reasons: [`account ${account ?? '(unknown)'}: ${why}: ${problems.map((p) => p.message).join('; ')}`],
    next: denied.length
      ? `grant ${denied.join(', ')} to the auditing principal (${via}), then run audit again`
      : 'fix the problem named, then run audit again',
    denied,
    problems,
  };
}

function missingBucket(bucket: string): BucketRecord {
  return {
    type: 'bucket',
    account: null,
    via: '--buckets',
    bucket,
    region: null,
    defaultEncryption: null,
    versioning: null,
    objectLock: null,
    inventory: null,
    objects: null,
    verdict: 'unknown',
    reasons: ['not in the ListBuckets answer of any audited account'],
    next: 'check the name in --buckets, and that its account is audited (--profile, --accounts)',
    cost: null,
    denied: [],
    problems: [],
  };
}

function order(a: AuditRecord, b: AuditRecord): number {
  const ka = `${a.account ?? '~'}\u0000${a.type === 'bucket' ? a.bucket : ''}`;
  const kb = `${b.account ?? '~'}\u0000${b.type === 'bucket' ? b.bucket : ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** How a skipped account reached twice is described (see enterAccounts). */
const REACHED_AGAIN = 'reached again through';

function summarize(
  records: AuditRecord[],
  who: Pick<
    AuditSummary,
    | 'kmsKey'
    | 'ranBy'
    | 'accounts'
    | 'skippedAccounts'
    | 'startedAt'
    | 'finishedAt'
    | 'toolVersion'
    | 'sample'
  >,
): AuditSummary {
  const buckets = records.filter((r): r is BucketRecord => r.type === 'bucket');
  const n = (v: string) => buckets.filter((b) => b.verdict === v).length;
  const byClass: Record<string, CountBytes> = {};
  for (const b of buckets)
    for (const [cls, c] of Object.entries(b.objects?.byClass ?? {})) {
      const cur = (byClass[cls] ??= { objects: 0, bytes: 0 });
      cur.objects += c.objects;
      cur.bytes += c.bytes;
    }
  const needing = buckets.filter((b) => b.verdict === 'needs-work');
  const unreadableAccounts = records.length - buckets.length;
  // An account Organizations lists as not ACTIVE (SUSPENDED, PENDING_CLOSURE) is skipped, not
  // audited: its buckets may still hold objects, so it never lets the run pass. An account reached
  // a second time was audited the first time.
  const unaudited = who.skippedAccounts.filter((s) => !s.status.startsWith(REACHED_AGAIN)).length;
  const compliant = n('compliant');
  return {
    type: 'summary',
    version: 1,
    ...who,
    buckets: buckets.length,
    compliant,
    needsWork: needing.length,
    unknown: n('unknown'),
    unreadableAccounts,
    byClass,
    costUsd: Math.round(needing.reduce((t, b) => t + (b.cost?.totalUsd ?? 0), 0) * 1e6) / 1e6,
    unpriced: needing.filter((b) => b.cost === null).length,
    // Exit 0 needs at least one bucket, all proved compliant, and every account read.
    exitCode:
      buckets.length > 0 && compliant === buckets.length && unreadableAccounts === 0 && unaudited === 0
        ? 0
        : 1,
  };
}
