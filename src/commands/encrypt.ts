import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { encryptBucket } from '../core/encrypt/encrypt-bucket.js';
import { parseSize } from '../core/encrypt/sizes.js';
import { GIB, MAX_PART, MAX_SINGLE_COPY, MIB, MIN_PART } from '../core/encrypt/types.js';
import { encryptEvents, renderEncryptSummary, renderNothingToDo } from '../output/encrypt-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { bucketKeyCommand, keyFlags, resolveKey } from './key-options.js';

const size = (flag: string, min: number, max: number, hint: string) =>
  z
    .string()
    .transform((s, c) => {
      const n = parseSize(s);
      if (n === undefined) {
        c.addIssue({ code: 'custom', message: `${flag} takes a size such as 64MiB, 5GiB or a byte count` });
        return z.NEVER;
      }
      return n;
    })
    .refine((n) => n >= min && n <= max, hint);

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  manifest: z.string().min(1, 'give a file path or s3://bucket/key').optional(),
  prefix: schemas.prefix,
  // Without --concurrency the run finds its own (core/concurrency/aimd.ts ADAPTIVE).
  concurrency: schemas.concurrency().optional(),
  maxRate: schemas.maxRate,
  multipartThreshold: size(
    '--multipart-threshold',
    0,
    MAX_SINGLE_COPY,
    'must be at most 5GiB (CopyObject cannot copy more in one request)',
  ).default(5 * GIB),
  partSize: size(
    '--part-size',
    MIN_PART,
    MAX_PART,
    'a part must be 5MiB to 5GiB (S3 limits; only the last part may be smaller)',
  ).default(256 * MIB),
  copyMethod: z
    .enum(['auto', 'copy', 'multipart'], { error: 'must be auto, copy or multipart' })
    .default('auto'),
  updateMethod: z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto'),
  state: z.union([z.string().min(1), z.literal(false)]).optional(),
  report: z.string().min(1).optional(),
  maxFailures: schemas.objects(1, 10).optional(),
  dryRun: z.boolean().default(false),
  allowEmpty: z.boolean().default(false),
  show: schemas.objects(0, 50).default(50),
});

export function encryptCommand(run: Runner): Command {
  return bucketKeyCommand(
    'encrypt',
    'rewrite every object that is not SSE-KMS under your key with a bucket key (UpdateObjectEncryption, or an in-place copy), reading each one back',
    'bucket whose objects to encrypt',
  )
    .option(
      '--manifest <file|s3://bucket/key>',
      "a Batch CSV manifest (bucket,key[,versionId]) or build-manifest's summary.json",
    )
    .option(
      '--prefix <prefix>',
      'without --manifest: list only keys under this prefix (default: the whole bucket)',
    )
    .option(
      '--concurrency <n>',
      'requests in flight at most, from the start (default: found by the run, from 8 up to 256, growing while throughput grows and halving on throttling)',
    )
    .option('--max-rate <objects/s>', 'start at most this many objects per second (a shared bucket)')
    .option(
      '--multipart-threshold <size>',
      'objects larger than this are copied by multipart upload (0: every non-empty object) (default: 5GiB)',
    )
    .option(
      '--part-size <size>',
      'UploadPartCopy part size, 5MiB..5GiB (grown for objects over 10,000 parts) (default: 256MiB)',
    )
    .option(
      '--copy-method <method>',
      'auto (probe once: CopyObject, or multipart where copies are not encrypted), copy, multipart (default: auto)',
    )
    .option(
      '--update-method <method>',
      'auto (UpdateObjectEncryption where the store has it), off (always copy) (default: auto)',
    )
    .option('--state <file>', 'resume file (default: .s3-encrypt-state/<bucket>-<hash of inputs>.jsonl)')
    .option('--no-state', 'do not record progress (a rerun then re-reads every object)')
    .option(
      '--report <file>',
      'write one JSON line per object (key, versionId, action, outcome, reason, bytes, ms)',
    )
    .option('--max-failures <n>', 'stop starting new objects after this many failures (exit 1)')
    .option(
      '--dry-run',
      'HEAD every object and print the plan (actions, bytes, request and KMS estimates); write nothing',
    )
    .option('--allow-empty', 'exit 0 when no object matches (an empty bucket, prefix or manifest)')
    .option(
      '--show <n>',
      'failed and skipped objects listed in human output (all of them with --json / --report) (default: 50)',
    )
    .addHelpText(
      'after',
      `
Each object is HEADed and then: left alone when already SSE-KMS under the key with a bucket key;
re-encrypted in place by UpdateObjectEncryption (SSE-S3, other key, no bucket key) where the store
supports it; otherwise copied onto itself (metadata, tags, storage class, lock, ACL kept), by
multipart upload above --multipart-threshold. Every write is read back. GLACIER/DEEP_ARCHIVE
objects that are not restored, SSE-C and DSSE-KMS objects are skipped with the reason, and left
as they were: the run is then NOT DONE.

Exit codes: 0 every object done (read back compliant, already compliant, or proved deleted),
1 some skipped, failed or could not be verified (or --max-failures, or no object matched without
--allow-empty),
            2 bad input, 3 refused, 4 service error, 130 interrupted (summary printed).

Examples:
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --dry-run
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --prefix logs/ --report report.jsonl
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --manifest s3://my-manifests/summary.json
  $ s3-encrypt --endpoint-url http://127.0.0.1:7480 encrypt --bucket my-bucket --kms-key s3e-key-1 --skip-key-check`,
    )
    .action(run(encryptHandler));
}

async function encryptHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const out = ctx.out;
  const outcome = await encryptBucket(
    {
      paths: ctx.app.offline.paths,
      // Building the services sends no request: local manifests are read before the first one.
      localManifests: async () => (await ctx.app.services(ctx.global)).encrypt.manifests,
      connect: async () => {
        const svc = await servicesForBucket(ctx, opts.bucket);
        const key = await resolveKey(ctx, svc, opts, svc.region);
        return {
          key,
          engine: svc.encrypt,
          objects: svc.objects,
          encryption: svc.encryption,
          keys: svc.keys,
          endpoint: svc.endpoint,
        };
      },
      host: {
        cwd: ctx.app.cwd,
        sha256Hex: (text) => createHash('sha256').update(text).digest('hex'),
        join,
        dirname,
        basename,
      },
    },
    { ...opts, signal: ctx.app.signal, runId: randomBytes(6).toString('hex'), countAhead: out.interactive },
    encryptEvents(out, opts),
  );
  if (outcome.kind === 'nothing-to-do') renderNothingToDo(out, outcome.label);
  else renderEncryptSummary(out, outcome.summary, opts, outcome.statePath, outcome.empty);
  return outcome.exitCode;
}
