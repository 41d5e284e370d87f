import { PreconditionError, UsageError } from '../errors.js';

/** What DescribeKey tells us about a key, in our own words. */
export interface KeyDescription {
  arn: string;
  keyId: string;
  state: string;
  spec: string;
  usage: string;
  /** KeyManager: 'AWS' or 'CUSTOMER'. */
  manager: string;
  /** Region parsed from the ARN. */
  region: string;
  /** Multi-region keys may be used from their own region only; still one region per ARN. */
  multiRegion?: boolean;
}

/** The key every command works with once it has been checked. */
export interface ResolvedKey {
  /** Full key ARN, or for --skip-key-check the id exactly as given. */
  id: string;
  /** Bare key id (last path segment of the ARN), used to match HEAD answers that omit the ARN. */
  shortId: string;
  /** False when the user skipped the KMS check (S3-compatible stores without a KMS API). */
  checked: boolean;
}

export interface KeyCheckOptions {
  bucketRegion: string;
  allowAwsManaged: boolean;
  /** The --kms-key the user gave (after parseKeyRef): the description must be of that key. */
  ref?: string | undefined;
}

const KEY_REF =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_+=,.@:-]+|alias\/[A-Za-z0-9/_-]+|[A-Za-z0-9-]{1,256})$/;

export const KEY_REF_HINT =
  'give a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), a key id, or an alias as alias/NAME';

/** Whether --kms-key is a key reference at all (parseKeyRef's check, as a predicate). */
export function isKeyRef(ref: string): boolean {
  return KEY_REF.test(ref.trim());
}

/** Syntax check of --kms-key before any call; catches typos such as a missing `alias/`. */
export function parseKeyRef(ref: string): string {
  const trimmed = ref.trim();
  if (!isKeyRef(trimmed)) {
    throw new UsageError(`invalid --kms-key "${ref}"`, KEY_REF_HINT, 'InvalidKeyRef');
  }
  return trimmed;
}

/**
 * `alias/aws/...` names an AWS managed key (aws/s3, aws/ebs...) by definition: AWS reserves the
 * prefix. Refused by its name, before and whatever DescribeKey says (a store may report such a key
 * as KeyManager=CUSTOMER, as moto does).
 */
export function isAwsManagedAlias(ref: string): boolean {
  return /^alias\/aws\//.test(ref) || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/aws\//.test(ref);
}

export function refuseAwsManagedAlias(
  ref: string,
  allowAwsManaged: boolean,
  hint = 'use a customer managed key, or pass --allow-aws-managed-key if you really mean it',
): void {
  if (allowAwsManaged || !isAwsManagedAlias(ref)) return;
  throw new PreconditionError(
    'KeyAwsManaged',
    `KMS key ${ref} is an AWS managed key (the alias/aws/ prefix is reserved for them); its key policy cannot be changed or shared`,
    hint,
  );
}

interface ArnParts {
  partition: string;
  region: string;
  account: string;
  kind: 'key' | 'alias';
  name: string;
}

function arnParts(arn: string): ArnParts | undefined {
  const m = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, account: m[3]!, kind: m[4] as 'key' | 'alias', name: m[5]! };
}

/**
 * What differs between the key the user named and the key DescribeKey described, or undefined
 * when they agree. A key ARN must come back as itself (partition, region, account, key id); an
 * alias ARN must come back in its own partition, region and account; a bare key id as that id.
 * A plain alias name (alias/NAME) says nothing more than the account's own alias, so it is
 * taken as resolved. A store that ignores the account in an ARN (moto does) otherwise hands back
 * a key of another account under the name the user gave.
 */
export function keyMismatch(ref: string, described: KeyDescription): string | undefined {
  const got = arnParts(described.arn);
  if (!got || got.kind !== 'key') return `the store described ${described.arn}, which is not a key ARN`;
  const named = arnParts(ref);
  if (named) {
    const diffs: string[] = [];
    if (named.partition !== got.partition) diffs.push(`partition ${got.partition}, not ${named.partition}`);
    if (named.account !== got.account) diffs.push(`account ${got.account}, not ${named.account}`);
    if (named.region !== got.region) diffs.push(`region ${got.region}, not ${named.region}`);
    if (named.kind === 'key' && named.name !== got.name) diffs.push(`key id ${got.name}, not ${named.name}`);
    return diffs.length ? diffs.join(', ') : undefined;
  }
  if (!ref.startsWith('alias/') && ref !== described.keyId && ref !== got.name)
    return `key id ${got.name}, not ${ref}`;
  return undefined;
}

export function refuseKeyMismatch(ref: string, described: KeyDescription): void {
  const diff = keyMismatch(ref, described);
  if (!diff) return;
  throw new PreconditionError(
    'KeyMismatch',
    `--kms-key ${ref} was asked for, but KMS described ${described.arn} (${diff})`,
    'the store answers for another key than the one named: check --kms-key, --region, the account of --profile, and --endpoint-url',
  );
}

/** Refuse keys that S3 cannot use for this bucket, or that the user did not mean. */
export function checkKey(key: KeyDescription, opts: KeyCheckOptions): ResolvedKey {
  if (opts.ref !== undefined) {
    refuseKeyMismatch(opts.ref, key);
    refuseAwsManagedAlias(opts.ref, opts.allowAwsManaged);
  }
  if (key.state !== 'Enabled') {
    throw new PreconditionError(
      'KeyNotEnabled',
      `KMS key ${key.arn} is ${key.state}, not Enabled`,
      key.state === 'PendingDeletion'
        ? 'cancel the deletion (aws kms cancel-key-deletion) and enable it, or choose another key'
        : 'enable it (aws kms enable-key) or choose another key',
    );
  }
  if (key.spec !== 'SYMMETRIC_DEFAULT' || key.usage !== 'ENCRYPT_DECRYPT') {
    throw new PreconditionError(
      'KeyNotSymmetric',
      `KMS key ${key.arn} is ${key.spec}/${key.usage}; S3 needs a SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT`,
      'create or choose a symmetric encryption key',
    );
  }
  if (key.region !== opts.bucketRegion) {
    throw new PreconditionError(
      'KeyInOtherRegion',
      `KMS key ${key.arn} is in ${key.region} but the bucket is in ${opts.bucketRegion}`,
      `S3 only uses keys from the bucket's region: choose a key in ${opts.bucketRegion}`,
    );
  }
  if (key.manager === 'AWS' && !opts.allowAwsManaged) {
    throw new PreconditionError(
      'KeyAwsManaged',
      `KMS key ${key.arn} is AWS managed (aws/s3); its key policy cannot be changed or shared`,
      'use a customer managed key, or pass --allow-aws-managed-key if you really mean it',
    );
  }
  return { id: key.arn, shortId: key.keyId, checked: true };
}

/** --skip-key-check: take the id as given, for stores (Ceph RGW) with no KMS API. */
export function uncheckedKey(ref: string): ResolvedKey {
  return { id: ref, shortId: shortKeyId(ref), checked: false };
}

export function shortKeyId(idOrArn: string): string {
  const m = /:key\/(.+)$/.exec(idOrArn);
  return m?.[1] ?? idOrArn;
}

/** Does a key id reported by S3 (ARN or bare id) denote this key? */
export function sameKey(reported: string | undefined, key: ResolvedKey): boolean {
  if (!reported) return false;
  return reported === key.id || reported === key.shortId || shortKeyId(reported) === key.shortId;
}

export function regionOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(arn)?.[1];
}
