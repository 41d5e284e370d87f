import { z } from 'zod';
import { PolicyDocument as CorePolicy } from '../../core/policy/document.js';
import { strictDeep } from './strict.js';

/** The IAM documents (src/core/policy/document.ts, which the command checks its output with). */
const IamPolicy = strictDeep(CorePolicy, {
  Version: 'IAM policy language version',
  Statement: {
    $: 'the statements',
    Sid: 'statement id (alphanumeric)',
    Effect: 'Allow or Deny',
    Principal: {
      $: 'who (resource, trust and key policies)',
      AWS: 'IAM principals',
      Service: 'AWS services',
    },
    Action: 'the actions, always a list',
    Resource: 'the resources, always a list; absent only in a role trust policy',
    Condition: '{ operator: { condition key: [values] } }',
  },
});

/** policy --json: one document (src/output/policy-render.ts): the IAM documents, or the Terraform text. */

const Name = z
  .enum([
    'app',
    'batch-role-trust',
    'batch-role-permissions',
    'operator',
    'inventory-destination',
    'key-policy',
  ])
  .describe('which document');
const AttachTo = z.string().describe('where it goes, in one line');

const Common = {
  bucket: z.string().describe('the bucket'),
  region: z.string().describe("the bucket's region"),
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .describe('the account the documents are for'),
  kmsKey: z.string().describe('the key ARN'),
  roleArn: z.string().describe('the ARN of the role S3 Batch Operations assumes'),
};

const JsonForm = z
  .strictObject({
    ...Common,
    format: z.literal('json').describe('--format json (the default)'),
    documents: z
      .array(
        z
          .strictObject({
            name: Name,
            attachTo: AttachTo,
            policy: IamPolicy.describe(
              'the IAM policy document (Version 2012-10-17; Action and Resource always lists)',
            ),
          })
          .describe('one document'),
      )
      .min(1)
      .describe('the documents asked for (--for)'),
  })
  .describe('--format json: the IAM documents themselves');

const TerraformForm = z
  .strictObject({
    ...Common,
    format: z.literal('terraform').describe('--format terraform'),
    documents: z
      .array(z.strictObject({ name: Name, attachTo: AttachTo }))
      .min(1)
      .describe('the documents the Terraform text holds'),
    terraform: z
      .string()
      .describe('data "aws_iam_policy_document" blocks, laid out as terraform fmt lays them out'),
  })
  .describe('--format terraform: the documents as Terraform data sources');

export const PolicyOutput = z
  .discriminatedUnion('format', [JsonForm, TerraformForm])
  .describe('policy --json: the least-privilege IAM documents for the migration.');
export type PolicyOutput = z.infer<typeof PolicyOutput>;
