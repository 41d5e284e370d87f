import { describe, expect, it } from 'vitest';
import type { KeyDescription } from '../../../src/core/kms/key.js';
import { keyDescriptionChecks, keyPolicyCheck, rotationCheck } from '../../../src/core/plan/key-checks.js';

const ACCOUNT = '111122223333';
const ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
const desc = (over: Partial<KeyDescription> = {}): KeyDescription => ({
  arn: ARN,
  keyId: 'k1',
  state: 'Enabled',
  spec: 'SYMMETRIC_DEFAULT',
  usage: 'ENCRYPT_DECRYPT',
  manager: 'CUSTOMER',
  region: 'us-east-1',
  ...over,
});
const byId = (checks: { id: string; status: string }[]) =>
  Object.fromEntries(checks.map((c) => [c.id, c.status]));

describe('keyDescriptionChecks', () => {
  it('passes a usable customer managed key', () => {
    expect(byId(keyDescriptionChecks(desc(), 'us-east-1', ACCOUNT))).toEqual({
      'key-state': 'PASS',
      'key-spec': 'PASS',
      'key-region': 'PASS',
      'key-manager': 'PASS',
    });
  });

  it('fails a disabled key with the enable command', () => {
    const [state] = keyDescriptionChecks(desc({ state: 'Disabled' }), 'us-east-1', ACCOUNT);
    expect(state).toMatchObject({ id: 'key-state', status: 'FAIL' });
    expect(state?.advice).toContain(`aws kms enable-key --key-id ${ARN}`);
  });

  it('tells how to cancel a pending deletion', () => {
    expect(
      keyDescriptionChecks(desc({ state: 'PendingDeletion' }), 'us-east-1', ACCOUNT)[0]?.advice,
    ).toContain('cancel-key-deletion');
  });

  it('fails an asymmetric key, a key in another region and an AWS managed key', () => {
    const checks = byId(
      keyDescriptionChecks(
        desc({
          spec: 'RSA_2048',
          region: 'us-west-2',
          arn: ARN.replace('us-east-1', 'us-west-2'),
          manager: 'AWS',
        }),
        'us-east-1',
        ACCOUNT,
      ),
    );
    expect(checks).toMatchObject({ 'key-spec': 'FAIL', 'key-region': 'FAIL', 'key-manager': 'FAIL' });
  });

  it('downgrades an AWS managed key to WARN with --allow-aws-managed-key', () => {
    expect(
      byId(keyDescriptionChecks(desc({ manager: 'AWS' }), 'us-east-1', ACCOUNT, true))['key-manager'],
    ).toBe('WARN');
  });

  it('warns when the key belongs to another account (UpdateObjectEncryption needs the owner account)', () => {
    expect(byId(keyDescriptionChecks(desc(), 'us-east-1', '999988887777'))['key-account']).toBe('WARN');
  });
});

describe('rotationCheck', () => {
  it('warns when rotation is off and says how to turn it on', () => {
    expect(rotationCheck(ARN, false)).toMatchObject({
      status: 'WARN',
      advice: expect.stringContaining('enable-key-rotation'),
    });
    expect(rotationCheck(ARN, true).status).toBe('PASS');
  });
});

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('keyPolicyCheck', () => {
  it('passes the default key policy (kms:* to the account root)', () => {
    const c = keyPolicyCheck(
      policy({
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      }),
      ACCOUNT,
      ARN,
    );
    expect(c.status).toBe('PASS');
    expect(c.detail).toContain('"Enable IAM User Permissions"');
  });

  it('passes a bare account id principal and explicit actions', () => {
    expect(
      keyPolicyCheck(
        policy({
          Effect: 'Allow',
          Principal: { AWS: ACCOUNT },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        }),
        ACCOUNT,
        ARN,
      ).status,
    ).toBe('PASS');
  });

  it('passes an account-wide principal pattern arn:aws:iam::ACCOUNT:*', () => {
    expect(
      keyPolicyCheck(
        policy({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:*` },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
        }),
        ACCOUNT,
        ARN,
      ).status,
    ).toBe('PASS');
  });

  it('passes Principal * pinned to the account with kms:CallerAccount', () => {
    expect(
      keyPolicyCheck(
        policy({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
        }),
        ACCOUNT,
        ARN,
      ).status,
    ).toBe('PASS');
  });

  it('warns with the statement to add when only another account or too few actions are granted', () => {
    const c = keyPolicyCheck(
      policy(
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ['kms:Decrypt'],
          Resource: '*',
        },
      ),
      ACCOUNT,
      ARN,
    );
    expect(c.status).toBe('WARN');
    const added = JSON.parse(c.advice.slice('add: '.length, c.advice.indexOf(' (')));
    expect(added).toEqual({
      Sid: 'AllowAccountUseOfKeyThroughIAM',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ARN,
    });
  });

  it('does not count NotAction statements that exclude the use actions', () => {
    const c = keyPolicyCheck(
      policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, NotAction: 'kms:Decrypt', Resource: '*' }),
      ACCOUNT,
      ARN,
    );
    expect(c.status).toBe('WARN');
  });

  it('warns when the key policy conditions on object-ARN encryption contexts', () => {
    const c = keyPolicyCheck(
      policy({
        Sid: 'Scoped',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::b/team-a/*'] } },
      }),
      ACCOUNT,
      ARN,
    );
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('object paths');
  });

  it('warns when the account is unknown', () => {
    expect(
      keyPolicyCheck(
        policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }),
        undefined,
        ARN,
      ).advice,
    ).toContain('--account-id');
  });
});
