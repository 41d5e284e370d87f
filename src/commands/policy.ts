import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { ExitCode } from '../core/exit-codes.js';
import { DEFAULT_ROLE_NAME } from '../core/policy/documents.js';
import { migrationPolicies } from '../core/policy/migration-policies.js';
import { renderPolicies } from '../output/policy-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';

const FOR = ['app', 'batch-role', 'operator', 'inventory-destination', 'key-policy', 'all'] as const;
const FORMATS = ['json', 'terraform'] as const;
const OPERATIONS = ['copy', 'update', 'both'] as const;

const Options = z.object({
  bucket: schemas.bucket,
  kmsKey: schemas.kmsKey,
  skipKeyCheck: z.boolean().optional(),
  manifestBucket: z.string().optional(),
  roleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name is 1-64 letters, digits and +=,.@_-')
    .default(DEFAULT_ROLE_NAME),
  appRoleArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      'give the role ARN: arn:aws:iam::ACCOUNT:role/NAME',
    )
    .optional(),
  for: z.enum(FOR, { error: `one of ${FOR.join(', ')}` }).default('all'),
  format: z.enum(FORMATS, { error: 'json or terraform' }).default('json'),
  operation: z.enum(OPERATIONS, { error: 'copy, update or both' }).default('both'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  contextCondition: z.boolean().default(false),
  inventoryKms: z.boolean().default(false),
  manifestGenerator: z.boolean().default(false),
});

export function policyCommand(run: Runner): Command {
  return new Command('policy')
    .description(
      'print least-privilege IAM, bucket and key policy documents for this migration (writes nothing)',
    )
    .requiredOption('--bucket <name>', 'bucket to migrate')
    .requiredOption('--kms-key <key>', 'target KMS key: ARN, key id or alias/NAME (resolved to the key ARN)')
    .addOption(new Option('--skip-key-check').hideHelp())
    .option(
      '--manifest-bucket <name|s3://BUCKET/PREFIX>',
      'where manifests, completion reports and the inventory live (needed for batch-role, operator, inventory-destination)',
    )
    .option('--role-name <name>', `IAM role S3 Batch Operations assumes (default: ${DEFAULT_ROLE_NAME})`)
    .option('--app-role-arn <arn>', "your application's role, added to the key-policy statements")
    .addOption(
      new Option('--for <which>', 'which documents ("all" = every one but operator) (default: all)').choices(
        FOR,
      ),
    )
    .addOption(
      new Option('--format <format>', 'JSON documents or Terraform data sources (default: json)').choices(
        FORMATS,
      ),
    )
    .addOption(
      new Option(
        '--operation <op>',
        'Batch job kinds the role runs: in-place copy, UpdateObjectEncryption, or both (default: both)',
      ).choices(OPERATIONS),
    )
    .option('--account-id <id>', 'account id (default: STS); with a key ARN and this, no AWS call is made')
    .option(
      '--context-condition',
      "pin the app's KMS use to kms:EncryptionContext:aws:s3:arn = the bucket ARN (only once every object uses a Bucket Key)",
    )
    .option(
      '--inventory-kms',
      'the inventory destination encrypts with this key: let S3 use it (auto-detected when online)',
    )
    .option(
      '--manifest-generator',
      'jobs let S3 build the object list: the role also needs s3:PutInventoryConfiguration',
    )
    .addHelpText(
      'after',
      `
No "*" action, no "*" resource, no NotAction/NotResource: resources are named by ARN. The operator's
own statement (--for operator, not part of "all") is the one exception IAM forces: s3:CreateJob has
no resource type, so it says Resource "*", narrowed by s3:RequestJobOperation and aws:RequestedRegion.

Examples:
  $ s3-encrypt policy --bucket my-bucket --kms-key alias/my-app --manifest-bucket s3://my-inventory/s3-encrypt
  $ s3-encrypt policy --bucket my-bucket --kms-key alias/my-app --for app --context-condition > app-kms.json
  $ s3-encrypt policy --bucket my-bucket --kms-key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-... \\
      --account-id 111122223333 --region eu-west-1 --manifest-bucket my-inventory --format terraform   # offline`,
    )
    .action(run(policyHandler));
}

async function policyHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const policies = await migrationPolicies(
    {
      connect: async (keyRegion) => {
        const svc = await servicesForBucket(ctx, opts.bucket);
        const keySvc =
          keyRegion && keyRegion !== svc.region
            ? await ctx.app.services({ ...ctx.global, region: keyRegion })
            : svc;
        return { region: svc.region, account: svc.account, keys: keySvc.keys, encryption: svc.encryption };
      },
    },
    { ...opts, explicitRegion: ctx.global.regionExplicit ? ctx.global.region : undefined },
    { warn: (text) => ctx.out.warn(text), debug: (text) => ctx.out.debug(text) },
  );
  renderPolicies(ctx.out, policies, opts.format);
  return ExitCode.OK;
}
