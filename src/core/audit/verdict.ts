import { formatCount, shellArg } from '../format.js';
import { DEFAULT_INVENTORY_DESTINATION, setupInventoryCommand } from '../plan/next-steps.js';
import type { AuditProblem, DefaultEncryption, InventoryInfo, ObjectCounts, Verdict } from './records.js';

/** Classes of current objects that need work (verify's vocabulary). */
export const OFFENDING_CLASSES: readonly string[] = [
  'NOT-SSE',
  'SSE-S3',
  'SSE-KMS-other-key',
  'SSE-KMS-no-bucket-key',
  'SSE-C',
  'DSSE-KMS',
];
/** Classes that prove nothing either way: an object the store answered about without proof. */
export const UNCERTAIN_CLASSES: readonly string[] = ['unverified'];

export interface BucketFacts {
  bucket: string;
  region: string | undefined;
  /** undefined: not read. */
  encryption: DefaultEncryption | undefined;
  inventory: InventoryInfo | undefined;
  objects: ObjectCounts | undefined;
  /** Why the objects are not counted, when they are not (no delivery yet, a denied read). */
  objectsUnknownBecause?: string | undefined;
  /** Why the counts, though read, are too old to prove compliance (see staleDelivery). */
  staleBecause?: string | undefined;
  problems: AuditProblem[];
}

export interface Judgement {
  verdict: Verdict;
  reasons: string[];
}

/**
 * The bucket's verdict. needs-work when anything proves it (a default that is not SSE-KMS under
 * the target key with Bucket Keys, or any counted object that is not); compliant only when the
 * default is right AND every current object of a whole inventory delivery is SSE-KMS with a
 * Bucket Key; unknown otherwise. A sample never proves a bucket compliant, and an unread setting
 * is never taken as fine.
 */
export function judge(f: BucketFacts): Judgement {
  const reasons: string[] = [];
  const d = defaultState(f.encryption);
  reasons.push(d.reason);
  const o = objectState(f);
  reasons.push(...o.reasons);
  const verdict: Verdict =
    d.state === 'bad' || o.state === 'bad'
      ? 'needs-work'
      : d.state === 'ok' && o.state === 'ok'
        ? 'compliant'
        : 'unknown';
  return { verdict, reasons };
}

type State = 'ok' | 'bad' | 'unknown';

function defaultState(e: DefaultEncryption | undefined): { state: State; reason: string } {
  if (!e) return { state: 'unknown', reason: 'default encryption: not read' };
  const blocked = e.blockedEncryptionTypes.length ? `; blocks ${e.blockedEncryptionTypes.join(', ')}` : '';
  if (e.algorithm === null)
    return { state: 'bad', reason: `default encryption: none (S3 applies SSE-S3 to new objects)${blocked}` };
  if (e.algorithm === 'AES256') return { state: 'bad', reason: `default encryption: SSE-S3${blocked}` };
  if (e.algorithm !== 'aws:kms')
    return { state: 'bad', reason: `default encryption: ${e.algorithm}, not SSE-KMS${blocked}` };
  const key = e.kmsKey ?? 'the AWS managed key (aws/s3)';
  if (e.targetKey === false)
    return { state: 'bad', reason: `default encryption: SSE-KMS under ${key}, not the target key${blocked}` };
  if (!e.bucketKey)
    return { state: 'bad', reason: `default encryption: SSE-KMS without S3 Bucket Keys (${key})${blocked}` };
  if (e.targetKey === null)
    return {
      state: 'unknown',
      reason: `default encryption: SSE-KMS with Bucket Keys under ${key}; whether that is the target key is unknown (the target key could not be resolved)${blocked}`,
    };
  return {
    state: 'ok',
    reason: `default encryption: SSE-KMS under the target key with S3 Bucket Keys${blocked}`,
  };
}

function objectState(f: BucketFacts): { state: State; reasons: string[] } {
  const o = f.objects;
  if (!o) {
    const why =
      f.objectsUnknownBecause ??
      (f.inventory && !f.inventory.usable
        ? 'no inventory configuration of the whole bucket with EncryptionStatus and BucketKeyStatus (CSV or Parquet, enabled, no prefix filter)'
        : 'no inventory read');
    return { state: 'unknown', reasons: [`objects: unknown: ${why}`] };
  }
  const count = (classes: readonly string[]) => classes.reduce((n, c) => n + (o.byClass[c]?.objects ?? 0), 0);
  const offending = count(OFFENDING_CLASSES);
  const uncertain = count(UNCERTAIN_CLASSES);
  const where = o.label;
  const reasons: string[] = [];
  if (offending > 0) {
    const parts = OFFENDING_CLASSES.filter((c) => (o.byClass[c]?.objects ?? 0) > 0).map(
      (c) => `${c} ${formatCount(o.byClass[c]?.objects ?? 0)}`,
    );
    reasons.push(`objects: ${formatCount(offending)} need work (${parts.join(', ')}) in ${where}`);
  }
  if (uncertain > 0) reasons.push(`objects: ${formatCount(uncertain)} unverified in ${where}`);
  if (o.noncurrentUnencrypted && o.noncurrentUnencrypted.objects > 0)
    reasons.push(
      `objects: ${formatCount(o.noncurrentUnencrypted.objects)} noncurrent version(s) NOT-SSE (a warning, as in verify)`,
    );
  reasons.push(...o.warnings.map((w) => `objects: ${w}`));
  if (offending > 0) return { state: 'bad', reasons };
  if (o.sample) {
    if (o.objects === 0) {
      reasons.push(`objects: ${where} found none; a sample proves no bucket compliant`);
      return { state: 'unknown', reasons };
    }
    reasons.push(
      `objects: ${uncertain > 0 ? 'the rest of the' : 'all'} ${formatCount(o.objects - uncertain)} sampled compliant in ${where}; a sample proves no bucket compliant`,
    );
    return { state: 'unknown', reasons };
  }
  if (uncertain > 0) return { state: 'unknown', reasons };
  if (f.staleBecause) {
    reasons.push(`objects: unknown: ${f.staleBecause}`);
    return { state: 'unknown', reasons };
  }
  reasons.push(
    o.objects === 0
      ? `objects: none in ${where}`
      : `objects: all ${formatCount(o.objects)} current objects SSE-KMS with a Bucket Key in ${where} (an inventory does not name the key)`,
  );
  return { state: 'ok', reasons };
}

export interface NextInput {
  verdict: Verdict;
  facts: BucketFacts;
  /** The key to name: the resolved ARN when known, else --kms-key as given. */
  key: string;
  /** --profile the account was reached with, to repeat on the command. */
  profile?: string | undefined;
}

/** The one command (or grant) that moves this bucket on; null when it is compliant. */
export function nextStep(n: NextInput): string | null {
  if (n.verdict === 'compliant') return null;
  const f = n.facts;
  const where = [
    ...(n.profile ? [`--profile ${shellArg(n.profile)}`] : []),
    ...(f.region ? [`--region ${f.region}`] : []),
  ].join(' ');
  const s3e = (cmd: string) => `s3-encrypt ${cmd}${where ? ` ${where}` : ''}`;
  const b = shellArg(f.bucket);
  const k = shellArg(n.key);
  if (n.verdict === 'needs-work') {
    const inv = f.inventory?.usable && f.inventory.destination && f.inventory.id;
    return s3e(
      `plan --bucket ${b} --kms-key ${k}${inv ? ` --inventory ${shellArg(f.inventory?.destination ?? '')} --id ${shellArg(f.inventory?.id ?? '')}` : ''}`,
    );
  }
  // unknown: first what blocks reading, then what would count the objects.
  const denied = [...new Set(f.problems.filter((p) => p.code === 'AccessDenied').map((p) => p.action))];
  if (denied.length > 0)
    return `grant ${denied.join(', ')} on bucket ${f.bucket} to the auditing principal, then run audit again`;
  if (f.region === undefined || f.encryption === undefined) return 'run audit again (see problems)';
  if (!f.inventory?.usable)
    return s3e(setupInventoryCommand(f.bucket, DEFAULT_INVENTORY_DESTINATION).replace(/^s3-encrypt /, ''));
  return s3e(`verify --bucket ${b} --kms-key ${k} --live --require-bucket-key`);
}
