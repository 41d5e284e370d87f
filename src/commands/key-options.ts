import { Command, Option } from 'commander';
import { z } from 'zod';
import { schemas } from '../config/global.js';
import { PreconditionError } from '../core/errors.js';
import {
  checkKey,
  parseKeyRef,
  refuseAwsManagedAlias,
  regionOfArn,
  uncheckedKey,
  type ResolvedKey,
} from '../core/kms/key.js';
import type { Services } from '../deps.js';
import type { CommandContext } from './context.js';

/** The zod fields of the flags addKeyOptions declares: spread into a command's option schema. */
export const keyFlags = {
  kmsKey: schemas.kmsKey,
  skipKeyCheck: z.boolean().optional(),
  allowAwsManagedKey: z.boolean().optional(),
};

/**
 * A command on one bucket under one key (encrypt, plan, enable-sse): --bucket and the key flags,
 * declared once, in the order --help lists them.
 */
export function bucketKeyCommand(name: string, description: string, bucketHelp: string): Command {
  return addKeyOptions(
    new Command(name).description(description).requiredOption('--bucket <name>', bucketHelp),
  );
}

/**
 * The flags every command that takes --kms-key accepts. `refusesSkipKeyCheck`: a command that
 * needs the key described (create-job) still accepts --skip-key-check, so it can refuse it with
 * its own line, but does not offer it in --help.
 */
export function addKeyOptions(cmd: Command, required = true, refusesSkipKeyCheck = false): Command {
  const desc = 'target KMS key: ARN, key id, or alias/NAME (resolved to the key ARN)';
  const skip = new Option(
    '--skip-key-check',
    'take --kms-key as given, without KMS DescribeKey (S3-compatible stores with no KMS API, e.g. Ceph RGW)',
  );
  (required ? cmd.requiredOption('--kms-key <key>', desc) : cmd.option('--kms-key <key>', desc))
    .addOption(refusesSkipKeyCheck ? skip.hideHelp() : skip)
    .option(
      '--allow-aws-managed-key',
      'accept an AWS managed key (aws/s3); not recommended: its policy cannot be shared',
    );
  return cmd;
}

export interface KeyFlags {
  kmsKey: string;
  skipKeyCheck?: boolean | undefined;
  allowAwsManagedKey?: boolean | undefined;
}

/** Resolve and check the key against the bucket's region, or take it as given with --skip-key-check. */
export async function resolveKey(
  ctx: CommandContext,
  svc: Services,
  flags: KeyFlags,
  bucketRegion: string,
): Promise<ResolvedKey> {
  const ref = parseKeyRef(flags.kmsKey);
  // By its name, before any call and with --skip-key-check too: alias/aws/* is AWS managed.
  refuseAwsManagedAlias(ref, flags.allowAwsManagedKey === true);
  if (flags.skipKeyCheck) {
    ctx.out.debug(`--skip-key-check: using key id "${ref}" as given`);
    return uncheckedKey(ref);
  }
  // A KMS client answers only for its own region: an ARN from elsewhere would read as "not found".
  const arnRegion = regionOfArn(ref);
  if (arnRegion && arnRegion !== bucketRegion) {
    throw new PreconditionError(
      'KeyInOtherRegion',
      `KMS key ${ref} is in ${arnRegion} but the bucket is in ${bucketRegion}`,
      `S3 only uses keys from the bucket's region: choose a key in ${bucketRegion}`,
    );
  }
  const description = await svc.keys.describeKey(ref);
  const key = checkKey(description, {
    bucketRegion,
    allowAwsManaged: flags.allowAwsManagedKey === true,
    ref,
  });
  if (ref !== key.id) ctx.out.debug(`--kms-key ${ref} resolves to ${key.id}`);
  return key;
}

/** --kms-key where no KMS call is made (offline runs): the checks a name alone allows. */
export function offlineKey(flags: KeyFlags): ResolvedKey {
  const ref = parseKeyRef(flags.kmsKey);
  refuseAwsManagedAlias(ref, flags.allowAwsManagedKey === true);
  return uncheckedKey(ref);
}
