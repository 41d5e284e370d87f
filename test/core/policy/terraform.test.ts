import { describe, expect, it } from 'vitest';
import { documentsFor, type PolicyTarget } from '../../../src/core/policy/documents.js';
import { policy } from '../../../src/core/policy/document.js';
import { hclString, toTerraform } from '../../../src/core/policy/terraform.js';
import { balanced, layoutProblems } from './hcl-check.js';

const target: PolicyTarget = {
  accountId: '111122223333',
  region: 'us-east-1',
  bucket: 'data-bucket',
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  manifestBucket: 'ops-bucket',
  manifestPrefix: 'inv',
  roleName: 's3-encrypt-batch',
  appRoleArn: 'arn:aws:iam::111122223333:role/app',
  operation: 'both',
  contextCondition: true,
  inventoryKms: true,
  manifestGenerator: true,
};

describe('toTerraform', () => {
  const hcl = toTerraform(documentsFor('all', target));

  it('emits one aws_iam_policy_document data source per document', () => {
    const names = [...hcl.matchAll(/^data "aws_iam_policy_document" "([a-z0-9_]+)" \{$/gm)].map((m) => m[1]);
    expect(names).toEqual([
      's3_encrypt_app',
      's3_encrypt_batch_role_trust',
      's3_encrypt_batch_role_permissions',
      's3_encrypt_inventory_destination',
      's3_encrypt_key_policy',
    ]);
  });

  it('balances its braces and follows terraform fmt layout (aligned "=", two-space indent)', () => {
    expect(balanced(hcl)).toBe(true);
    expect(layoutProblems(hcl)).toEqual([]);
  });

  it('carries every statement: one statement block per Sid, one condition block per key', () => {
    const docs = documentsFor('all', target);
    const statements = docs.flatMap((d) => d.policy.Statement);
    expect((hcl.match(/^ {2}statement \{$/gm) ?? []).length).toBe(statements.length);
    for (const s of statements) expect(hcl).toMatch(new RegExp(`^ {4}sid += "${s.Sid}"$`, 'm'));
    const conditions = statements.reduce(
      (n, s) => n + Object.values(s.Condition ?? {}).reduce((m, b) => m + Object.keys(b).length, 0),
      0,
    );
    expect((hcl.match(/^ {4}condition \{$/gm) ?? []).length).toBe(conditions);
    expect(hcl).toContain('"kms:ReEncryptFrom",');
    expect(hcl).not.toMatch(/"(s3|kms):[A-Za-z]*\*"/);
  });

  it('escapes interpolation so IAM variables stay literal', () => {
    expect(hclString('arn:aws:s3:::b/${aws:username}/*')).toBe('"arn:aws:s3:::b/$${aws:username}/*"');
    expect(hclString('say "hi" %{x} \\')).toBe('"say \\"hi\\" %%{x} \\\\"');
    const out = toTerraform([
      {
        name: 'app',
        attachTo: 'x',
        policy: policy([
          {
            Sid: 'A',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: ['arn:aws:s3:::b/${aws:username}/*'],
          },
        ]),
      },
    ]);
    expect(out).toContain('resources = ["arn:aws:s3:::b/$${aws:username}/*"]');
    expect(layoutProblems(out)).toEqual([]);
  });
});
