import { isAwsManagedAlias, keyMismatch, type KeyDescription } from '../kms/key.js';
import { readPolicy } from '../policy/read-policy.js';
import { fail, pass, warn, type Check } from './check.js';
import { accountGrant, objectArnContexts } from './policy-findings.js';

/** DescribeKey findings: state, spec, region, manager, owning account. Any FAIL stops the migration. */
export function keyDescriptionChecks(
  key: KeyDescription,
  bucketRegion: string,
  account: string | undefined,
  allowAwsManaged = false,
  ref?: string,
): Check[] {
  const out: Check[] = [];
  const mismatch = ref !== undefined ? keyMismatch(ref, key) : undefined;
  if (ref !== undefined && mismatch)
    out.push(
      fail(
        'key-identity',
        'KMS key identity',
        `--kms-key ${ref} was asked for, but KMS described ${key.arn} (${mismatch})`,
        'the store answers for another key than the one named: check --kms-key, --region, the account of --profile, and --endpoint-url',
      ),
    );
  if (key.state === 'Enabled')
    out.push(pass('key-state', 'KMS key state', `${key.arn} is Enabled`, 'nothing to do'));
  else
    out.push(
      fail(
        'key-state',
        'KMS key state',
        `${key.arn} is ${key.state}: S3 cannot encrypt or decrypt with it`,
        key.state === 'PendingDeletion'
          ? `cancel the deletion: aws kms cancel-key-deletion --key-id ${key.arn}, then enable it`
          : `enable it: aws kms enable-key --key-id ${key.arn}, or choose another key`,
      ),
    );
  if (key.spec === 'SYMMETRIC_DEFAULT' && key.usage === 'ENCRYPT_DECRYPT')
    out.push(pass('key-spec', 'KMS key spec', 'SYMMETRIC_DEFAULT for ENCRYPT_DECRYPT', 'nothing to do'));
  else
    out.push(
      fail(
        'key-spec',
        'KMS key spec',
        `${key.spec}/${key.usage}: S3 only uses symmetric encryption keys`,
        'create or choose a SYMMETRIC_DEFAULT key',
      ),
    );
  if (key.region === bucketRegion)
    out.push(pass('key-region', 'KMS key region', `${key.region}, same as the bucket`, 'nothing to do'));
  else
    out.push(
      fail(
        'key-region',
        'KMS key region',
        `the key is in ${key.region} but the bucket is in ${bucketRegion}: S3 only uses keys from the bucket's region`,
        `create a key in ${bucketRegion} (or a multi-Region replica there) and pass its ARN`,
      ),
    );
  if (key.manager === 'AWS' || (ref !== undefined && isAwsManagedAlias(ref)))
    out.push(
      (allowAwsManaged ? warn : fail)(
        'key-manager',
        'KMS key manager',
        'AWS managed (aws/s3): its key policy cannot be changed or shared, and UpdateObjectEncryption needs a customer managed key',
        'create a customer managed key: aws kms create-key, then pass its ARN',
      ),
    );
  else out.push(pass('key-manager', 'KMS key manager', 'customer managed', 'nothing to do'));
  const keyAccount = key.arn.split(':')[4];
  if (account && keyAccount && keyAccount !== account)
    out.push(
      warn(
        'key-account',
        'KMS key account',
        `the key belongs to ${keyAccount}, the caller to ${account}: UpdateObjectEncryption needs a key in the bucket owner's account`,
        "use a key in the bucket owner's account for UpdateObjectEncryption; copies can use a cross-account key if its policy allows",
      ),
    );
  return out;
}

export function rotationCheck(keyArn: string, enabled: boolean): Check {
  if (enabled) return pass('key-rotation', 'KMS key rotation', 'automatic rotation is on', 'nothing to do');
  return warn(
    'key-rotation',
    'KMS key rotation',
    'automatic rotation is off',
    `turn it on: aws kms enable-key-rotation --key-id ${keyArn} (old objects stay readable)`,
  );
}

/** The statement to add when the key policy does not let the account use the key. */
function accountUseStatement(account: string, keyArn: string): string {
  return JSON.stringify({
    Sid: 'AllowAccountUseOfKeyThroughIAM',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: keyArn,
  });
}

export function keyPolicyCheck(text: string, account: string | undefined, keyArn: string): Check {
  const id = 'key-policy';
  const title = 'KMS key policy';
  const statements = readPolicy(text);
  if (!statements) return warn(id, title, 'the key policy is not valid JSON policy text', 'check it by hand');
  const contexts = objectArnContexts(statements);
  const contextNote = contexts.length
    ? `; statement ${contexts.join(', ')} conditions kms:EncryptionContext:aws:s3:arn on object paths (Bucket Keys use the bucket ARN)`
    : '';
  if (!account)
    return warn(
      id,
      title,
      `not checked: the bucket account is unknown${contextNote}`,
      'pass --account-id ACCOUNT',
    );
  const grant = accountGrant(statements, account);
  if (!grant)
    return warn(
      id,
      title,
      `no statement lets account ${account} use the key (kms:GenerateDataKey and kms:Decrypt)${contextNote}`,
      `add: ${accountUseStatement(account, keyArn)} ('s3-encrypt policy --for key-policy' prints role-scoped statements)`,
    );
  if (contexts.length > 0)
    return warn(
      id,
      title,
      `statement ${grant} lets account ${account} use the key${contextNote}`,
      'condition on the bucket ARN (arn:aws:s3:::BUCKET) instead of object paths',
    );
  return pass(id, title, `statement ${grant} lets account ${account} use the key`, 'nothing to do');
}
