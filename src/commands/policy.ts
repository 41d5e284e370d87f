import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { PreconditionError, S3EncryptError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import {
  parseKeyRef,
  refuseAwsManagedAlias,
  refuseKeyMismatch,
  regionOfArn,
  sameKey,
  shortKeyId,
} from '../core/kms/key.js';
import { PolicyDocument } from '../core/policy/document.js';
import {
  DEFAULT_ROLE_NAME,
  documentsFor,
  type NamedDocument,
  type PolicyFor,
  type PolicyTarget,
} from '../core/policy/documents.js';
import { leastPrivilegeViolations } from '../core/policy/least-privilege.js';
import { toTerraform } from '../core/policy/terraform.js';
import { cleanPrefix, isS3Uri, parseS3Uri } from '../core/s3-uri.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';

const FOR = ['app', 'batch-role', 'operator', 'inventory-destination', 'key-policy', 'all'] as const;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

const Options = z.object({
  bucket: schemas.bucket,
  kmsKey: z.string(),
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
  format: z.enum(['json', 'terraform'], { error: 'json or terraform' }).default('json'),
  operation: z.enum(['copy', 'update', 'both'], { error: 'copy, update or both' }).default('both'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  contextCondition: z.boolean().default(false),
  inventoryKms: z.boolean().default(false),
  manifestGenerator: z.boolean().default(false),
});
type Options = z.infer<typeof Options>;

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
    .option('--role-name <name>', 'IAM role S3 Batch Operations assumes', DEFAULT_ROLE_NAME)
    .option('--app-role-arn <arn>', "your application's role, added to the key-policy statements")
    .addOption(
      new Option('--for <which>', 'which documents ("all" = every one but operator)')
        .choices(FOR)
        .default('all'),
    )
    .addOption(
      new Option('--format <format>', 'JSON documents or Terraform data sources')
        .choices(['json', 'terraform'])
        .default('json'),
    )
    .addOption(
      new Option(
        '--operation <op>',
        'Batch job kinds the role runs: in-place copy, UpdateObjectEncryption, or both',
      )
        .choices(['copy', 'update', 'both'])
        .default('both'),
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

export async function policyHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  if (opts.skipKeyCheck)
    throw new UsageError(
      'policy does not accept --skip-key-check: policies must name the key by its full ARN',
      'pass --kms-key as the key ARN (with --account-id and --region to work offline), or let policy resolve it',
      'SkipKeyCheckRefused',
    );
  const ref = parseKeyRef(opts.kmsKey);
  refuseAwsManagedAlias(ref, false, 'create a customer managed key (aws kms create-key) and pass its ARN');
  const manifest = manifestLocation(opts);
  const needsManifest = ['batch-role', 'operator', 'inventory-destination', 'all'].includes(opts.for);
  if (needsManifest && !manifest)
    throw new UsageError(
      `--for ${opts.for} needs --manifest-bucket`,
      'name the bucket (and prefix) for manifests, reports and inventory, e.g. --manifest-bucket s3://my-inventory/s3-encrypt',
      'MissingOption',
    );

  const target = await resolveTarget(ctx, opts, ref, manifest);
  const docs = documentsFor(opts.for as PolicyFor, target);
  for (const d of docs) selfCheck(d);
  notes(ctx, opts, docs);

  const out = ctx.out;
  const common = {
    bucket: target.bucket,
    region: target.region,
    accountId: target.accountId,
    kmsKey: target.keyArn,
    roleArn: `arn:${target.keyArn.split(':')[1]}:iam::${target.accountId}:role/${target.roleName}`,
    format: opts.format,
  };
  if (opts.format === 'terraform') {
    const hcl = toTerraform(docs);
    out.result(
      { ...common, documents: docs.map(({ name, attachTo }) => ({ name, attachTo })), terraform: hcl },
      hcl.trimEnd(),
    );
    return ExitCode.OK;
  }
  const text =
    docs.length === 1
      ? JSON.stringify(docs[0]?.policy, null, 2)
      : docs.map((d) => `# ${d.name}: ${d.attachTo}\n${JSON.stringify(d.policy, null, 2)}`).join('\n\n');
  out.result({ ...common, documents: docs }, text);
  return ExitCode.OK;
}

function manifestLocation(opts: Options): { bucket: string; prefix: string } | undefined {
  const m = opts.manifestBucket;
  if (m === undefined) return undefined;
  if (isS3Uri(m)) {
    const loc = parseS3Uri(m, '--manifest-bucket');
    return { bucket: loc.bucket, prefix: cleanPrefix(loc.key) };
  }
  const bucket = schemas.bucket.safeParse(m);
  if (!bucket.success)
    throw new UsageError(
      `invalid --manifest-bucket "${m}"`,
      'give a bucket name or s3://BUCKET/PREFIX',
      'InvalidOption',
    );
  return { bucket: bucket.data, prefix: '' };
}

/**
 * Offline when the key is a full key ARN and the account is given: the region is the key's (S3
 * only uses keys from the bucket's region). Otherwise the bucket's region, STS and DescribeKey.
 */
async function resolveTarget(
  ctx: CommandContext,
  opts: Options,
  ref: string,
  manifest: { bucket: string; prefix: string } | undefined,
): Promise<PolicyTarget> {
  const base = {
    bucket: opts.bucket,
    manifestBucket: manifest?.bucket ?? opts.bucket,
    manifestPrefix: manifest?.prefix ?? '',
    roleName: opts.roleName,
    appRoleArn: opts.appRoleArn,
    operation: opts.operation,
    contextCondition: opts.contextCondition,
    manifestGenerator: opts.manifestGenerator,
  };
  if (KEY_ARN.test(ref) && opts.accountId) {
    const region = regionOfArn(ref) as string;
    if (ctx.global.regionExplicit && ctx.global.region !== region)
      throw new UsageError(
        `--kms-key is in ${region} but --region is ${ctx.global.region}`,
        `S3 only uses keys from the bucket's region: pass --region ${region} or a key in ${ctx.global.region}`,
        'KeyInOtherRegion',
      );
    ctx.out.debug('offline: key ARN and --account-id given, no AWS call');
    return { ...base, accountId: opts.accountId, region, keyArn: ref, inventoryKms: opts.inventoryKms };
  }
  const svc = await servicesForBucket(ctx, opts.bucket);
  const accountId = opts.accountId ?? (await svc.account.accountId());
  // A key ARN is described in its own region, so a key from another region is named as such.
  const keyRegion = regionOfArn(ref);
  const keySvc =
    keyRegion && keyRegion !== svc.region
      ? await ctx.app.services({ ...ctx.global, region: keyRegion })
      : svc;
  const key = await keySvc.keys.describeKey(ref);
  refuseKeyMismatch(ref, key);
  if (key.region !== svc.region)
    throw new PreconditionError(
      'KeyInOtherRegion',
      `KMS key ${key.arn} is in ${key.region} but the bucket is in ${svc.region}`,
      `S3 only uses keys from the bucket's region: choose a key in ${svc.region}`,
    );
  if (key.manager === 'AWS')
    throw new PreconditionError(
      'KeyAwsManaged',
      `KMS key ${key.arn} is AWS managed (aws/s3): its key policy cannot be changed`,
      'create a customer managed key (aws kms create-key) and pass its ARN',
    );
  if (key.state !== 'Enabled')
    ctx.out.warn(`KMS key ${key.arn} is ${key.state}: enable it before the migration`);
  let inventoryKms = opts.inventoryKms;
  if (!inventoryKms && manifest) {
    try {
      const enc = await svc.encryption.getEncryption(manifest.bucket);
      const by = enc?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      const resolved = { id: key.arn, shortId: shortKeyId(key.arn), checked: true };
      inventoryKms = by?.SSEAlgorithm === 'aws:kms' && sameKey(by.KMSMasterKeyID, resolved);
    } catch (err) {
      if (!(err instanceof S3EncryptError)) throw err;
      ctx.out.warn(
        `could not read the default encryption of ${manifest.bucket} (${err.code}): pass --inventory-kms if it encrypts with ${key.arn}`,
      );
    }
  }
  return { ...base, accountId, region: svc.region, keyArn: key.arn, inventoryKms };
}

/** Our own output must pass the same checks the tests apply; a failure here is a bug, not user input. */
function selfCheck(d: NamedDocument): void {
  PolicyDocument.parse(d.policy);
  const problems = leastPrivilegeViolations(d.policy);
  if (problems.length > 0)
    throw new Error(`internal: document ${d.name} is broader than intended: ${problems.join('; ')}`);
}

function notes(ctx: CommandContext, opts: Options, docs: NamedDocument[]): void {
  const names = new Set(docs.map((d) => d.name));
  if (names.has('operator'))
    ctx.out.warn(
      'the operator statement S3EncryptCreateJobs uses Resource "*": IAM has no resource type for s3:CreateJob; conditions narrow it',
    );
  if (names.has('key-policy') && !opts.appRoleArn)
    ctx.out.warn("pass --app-role-arn to add your application's role to the key-policy statements");
}
