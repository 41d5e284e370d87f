import { UsageError } from '../errors.js';
import { bucketArn, cleanPrefix } from '../s3-uri.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
  [k: string]: unknown;
}

export interface DestinationGrant {
  sourceBucket: string;
  /** The account that owns the source bucket (aws:SourceAccount). */
  sourceAccount: string;
  destinationBucket: string;
  destinationPrefix?: string | undefined;
}

/**
 * One fixed Sid per source bucket, so a rerun finds and compares its own statement. IAM's grammar
 * allows only letters and digits in a Sid; bucket names are lowercase, so `-` and `.` map to
 * upper-case letters that cannot collide with any other bucket's name. @internal
 */
export function inventorySid(sourceBucket: string): string {
  return `S3EncryptInventory${sourceBucket.replace(/-/g, 'H').replace(/\./g, 'D')}`;
}

/** AWS's "Grant permissions for S3 Inventory" statement, scoped to one source bucket and prefix. */
export function inventoryStatement(grant: DestinationGrant): PolicyStatement {
  const prefix = cleanPrefix(grant.destinationPrefix);
  return {
    Sid: inventorySid(grant.sourceBucket),
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${bucketArn(grant.destinationBucket)}/${prefix ? `${prefix}/` : ''}*`,
    Condition: {
      ArnLike: { 'aws:SourceArn': bucketArn(grant.sourceBucket) },
      StringEquals: {
        'aws:SourceAccount': grant.sourceAccount,
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
    },
  };
}

export type PolicyOutcome = 'unchanged' | 'added' | 'updated';

export interface PolicyPlan {
  outcome: PolicyOutcome;
  /** The whole policy to write (every other statement kept as it was). */
  policy: PolicyDocument;
  /** Our statement as it will be written. */
  statement: PolicyStatement;
  /** The statement with our Sid before the change, when there was one. */
  previous?: PolicyStatement | undefined;
}

/**
 * Merge our statement into the bucket's policy by Sid. PutBucketPolicy replaces the whole
 * document, so everything else is carried over untouched. A statement with our Sid that grants
 * other prefixes of the same bucket keeps them: another inventory configuration may deliver there.
 */
export function mergeInventoryStatement(
  existingJson: string | undefined,
  statement: PolicyStatement,
  bucket: string,
): PolicyPlan {
  const existing = parsePolicy(existingJson, bucket);
  const statements = existing?.Statement ?? [];
  const index = statements.findIndex((s) => s.Sid === statement.Sid);
  if (index < 0) {
    const policy: PolicyDocument = existing
      ? { ...existing, Statement: [...statements, statement] }
      : { Version: '2012-10-17', Statement: [statement] };
    return { outcome: 'added', policy, statement };
  }
  const previous = statements[index] as PolicyStatement;
  const resources = union(asList(previous.Resource), asList(statement.Resource));
  const merged: PolicyStatement = {
    ...statement,
    Resource: resources.length === 1 ? resources[0] : resources,
  };
  if (canonical(merged) === canonical(previous)) {
    return { outcome: 'unchanged', policy: existing as PolicyDocument, statement: previous, previous };
  }
  const next = [...statements];
  next[index] = merged;
  return {
    outcome: 'updated',
    policy: { ...(existing as PolicyDocument), Statement: next },
    statement: merged,
    previous,
  };
}

function parsePolicy(json: string | undefined, bucket: string): PolicyDocument | undefined {
  if (json === undefined || json.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new UsageError(
      `the bucket policy of ${bucket} is not valid JSON`,
      'fix it with aws s3api get-bucket-policy / put-bucket-policy, then run again',
      'InvalidBucketPolicy',
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(
      `the bucket policy of ${bucket} is not a JSON object`,
      'fix it with aws s3api put-bucket-policy, then run again',
      'InvalidBucketPolicy',
    );
  }
  const d = doc as { Statement?: unknown; [k: string]: unknown };
  const raw = d.Statement;
  // A single statement may be written as an object rather than a one-element array.
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return { ...d, Statement: list as PolicyStatement[] };
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Order-insensitive JSON: sorted keys, sorted string arrays, one-element arrays as scalars. @internal */
export function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    if (items.length === 1) return items[0];
    return items.every((i) => typeof i === 'string') ? [...items].sort() : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = normalize((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
