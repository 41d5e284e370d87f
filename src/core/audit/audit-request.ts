import { applyPriceOverrides, DEFAULT_PRICES } from '../cost/prices.js';
import { UsageError } from '../errors.js';
import { parseKeyRef } from '../kms/key.js';
import type { JsonFiles } from '../plan/ports.js';
import { accountIds, bucketNames } from './inputs.js';
import type { AuditDirectory, ListFiles } from './ports.js';
import type { AuditRecord, AuditResult } from './records.js';
import { runAudit, type AccountSource } from './run-audit.js';

/** The audit command's flags, parsed. */
export interface AuditRequest {
  kmsKey: string;
  bucketPrefix?: string | undefined;
  /** --buckets FILE. */
  buckets?: string | undefined;
  /** --accounts FILE, or "org". */
  accounts?: string | undefined;
  roleName?: string | undefined;
  sample?: number | undefined;
  concurrency: number;
  /** --prices FILE. */
  prices?: string | undefined;
  /** Every --profile given (each one account), and the profile in effect (the one that assumes --role-name). */
  profiles: string[];
  profile: string | undefined;
  toolVersion: string;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

export interface AuditRequestPorts {
  lists: ListFiles;
  /** The files the run will write: checked after the input files and before the first request. */
  checkOutputs(): Promise<void>;
  connect(): Promise<{ directory: AuditDirectory; files: JsonFiles }>;
}

export interface AuditEvents {
  /** Every input is read: the first bucket is next. */
  started(kmsKey: string): void;
  /** The number of buckets, once known. */
  total(buckets: number): void;
  record(r: AuditRecord): void;
  /** The run ended, done or not. */
  stopped(): void;
}

/**
 * audit from its flags: the combinations refused, the list files read (bad input stops the run
 * before the first request), the price overrides applied, then every account read.
 */
export async function runAuditRequest(
  ports: AuditRequestPorts,
  req: AuditRequest,
  events: AuditEvents,
): Promise<AuditResult> {
  const kmsKey = parseKeyRef(req.kmsKey);
  refuseCombinations(req);
  // Files first: bad input stops the run before the first request.
  const accounts =
    req.accounts === undefined || req.accounts === 'org'
      ? req.accounts
      : accountIds(await ports.lists.readLines(req.accounts, '--accounts'), req.accounts);
  const buckets = req.buckets
    ? bucketNames(await ports.lists.readLines(req.buckets, '--buckets'), req.buckets)
    : undefined;
  await ports.checkOutputs();
  const { directory, files } = await ports.connect();
  const prices = req.prices
    ? applyPriceOverrides(DEFAULT_PRICES, await files.readJson(req.prices, '--prices'), req.prices)
    : DEFAULT_PRICES;
  const source: AccountSource =
    req.roleName !== undefined && accounts !== undefined
      ? { kind: 'roles', profile: req.profile, roleName: req.roleName, accounts }
      : { kind: 'profiles', profiles: req.profiles.length > 0 ? req.profiles : [req.profile] };
  events.started(kmsKey);
  try {
    return await runAudit(directory, {
      kmsKey,
      accounts: source,
      buckets,
      bucketPrefix: req.bucketPrefix,
      sample: req.sample,
      concurrency: req.concurrency,
      prices,
      toolVersion: req.toolVersion,
      now: req.now,
      signal: req.signal,
      onTotal: (n) => events.total(n),
      onRecord: (r) => events.record(r),
    });
  } finally {
    events.stopped();
  }
}

/** --role-name and --accounts go together, and a role is assumed with one set of credentials. */
function refuseCombinations(req: AuditRequest): void {
  if (req.roleName !== undefined && req.accounts === undefined)
    throw new UsageError(
      '--role-name needs --accounts',
      'name the accounts: --accounts FILE (one id a line) or --accounts org',
      'MissingOption',
    );
  if (req.accounts !== undefined && req.roleName === undefined)
    throw new UsageError(
      '--accounts needs --role-name',
      'name the role to assume in each account: --role-name NAME',
      'MissingOption',
    );
  if (req.roleName !== undefined && req.profiles.length > 1)
    throw new UsageError(
      'several --profile with --role-name',
      'give one --profile (the credentials that assume the role), or drop --role-name to audit each profile',
      'ConflictingOptions',
    );
}
