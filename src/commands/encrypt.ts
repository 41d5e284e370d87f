import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { runEncrypt, type EncryptSummary, type Progress } from '../core/encrypt/engine.js';
import type { EncryptServices, ReportSink, StateStore } from '../core/encrypt/ports.js';
import { resultRecord } from '../core/encrypt/record.js';
import { parseSize } from '../core/encrypt/sizes.js';
import { checkManifest, refsFromManifest, summaryPlan, type ManifestCheck } from '../core/encrypt/sources.js';
import { reasonCode } from '../core/encrypt/tally.js';
import {
  Category,
  GIB,
  MAX_PART,
  MAX_SINGLE_COPY,
  MIB,
  MIN_PART,
  type ObjectRef,
  type ObjectResult,
} from '../core/encrypt/types.js';
import { InterruptedError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { ResolvedKey } from '../core/kms/key.js';
import { readDefaultEncryption } from '../core/encryption/default-state.js';
import type { Services } from '../deps.js';
import type { ObjectReader } from '../core/ports.js';
import { isS3Uri } from '../core/s3-uri.js';
import { formatBytes, formatCount, formatDuration, printable, quoted, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { LiveProgress } from '../output/live-progress.js';
import type { ProgressView } from '../output/progress.js';
import { CountAhead, listingTotal } from '../core/concurrency/count-ahead.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { addKeyOptions, keyFlags, resolveKey } from './key-options.js';

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
  concurrency: schemas.concurrency.default(16),
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
  maxFailures: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  dryRun: z.boolean().default(false),
  allowEmpty: z.boolean().default(false),
  show: z.coerce.number().int().min(0, 'must be 0 or more').default(50),
});
type Options = z.infer<typeof Options>;

export function encryptCommand(run: Runner): Command {
  const cmd = new Command('encrypt')
    .description(
      'rewrite every object that is not SSE-KMS under your key with a bucket key (UpdateObjectEncryption, or an in-place copy), reading each one back',
    )
    .requiredOption('--bucket <name>', 'bucket whose objects to encrypt');
  addKeyOptions(cmd)
    .option(
      '--manifest <file|s3://bucket/key>',
      "a Batch CSV manifest (bucket,key[,versionId]) or build-manifest's summary.json",
    )
    .option(
      '--prefix <prefix>',
      'without --manifest: list only keys under this prefix (default: the whole bucket)',
    )
    .option('--concurrency <n>', 'objects in flight (the adaptive limit never exceeds it)', '16')
    .option(
      '--multipart-threshold <size>',
      'objects larger than this are copied by multipart upload (0: every non-empty object)',
      '5GiB',
    )
    .option(
      '--part-size <size>',
      'UploadPartCopy part size, 5MiB..5GiB (grown for objects over 10,000 parts)',
      '256MiB',
    )
    .option(
      '--copy-method <method>',
      'auto (probe once: CopyObject, or multipart where copies are not encrypted), copy, multipart',
      'auto',
    )
    .option(
      '--update-method <method>',
      'auto (UpdateObjectEncryption where the store has it), off (always copy)',
      'auto',
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
      'failed and skipped objects listed in human output (all of them with --json / --report)',
      '50',
    )
    .addHelpText(
      'after',
      `
Each object is HEADed and then: left alone when already SSE-KMS under the key with a bucket key;
re-encrypted in place by UpdateObjectEncryption (SSE-S3, other key, no bucket key) where the store
supports it; otherwise copied onto itself (metadata, tags, storage class, lock, ACL kept), by
multipart upload above --multipart-threshold. Every write is read back. GLACIER/DEEP_ARCHIVE
objects that are not restored, SSE-C and DSSE-KMS objects are skipped with the reason.

Exit codes: 0 every object done or skipped with a reason, 1 some failed or could not be verified
(or --max-failures, or no object matched without --allow-empty),
            2 bad input, 3 refused, 4 service error, 130 interrupted (summary printed).

Examples:
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --dry-run
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --prefix logs/ --report report.jsonl
  $ s3-encrypt encrypt --bucket my-bucket --kms-key alias/my-app --manifest s3://my-manifests/summary.json
  $ s3-encrypt --endpoint-url http://127.0.0.1:7480 encrypt --bucket my-bucket --kms-key s3e-key-1 --skip-key-check`,
    )
    .action(run(encryptHandler));
  return cmd;
}

interface Source {
  refs: AsyncIterable<ObjectRef>;
  total?: number | undefined;
  label: string;
  /** What the state file hash covers. */
  identity: string;
  /** A live listing: the same listing again, walked ahead of the workers to count it. */
  listAhead?: (() => AsyncIterable<{ isDeleteMarker?: boolean | undefined }>) | undefined;
}

export async function encryptHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  if (opts.manifest !== undefined && opts.prefix !== undefined)
    throw new UsageError(
      '--manifest and --prefix both choose the objects',
      'give only one',
      'ConflictingOptions',
    );
  // Local files before the first request: a --state file that is not ours, an unusable path,
  // or a manifest that is not UTF-8 is refused with nothing read from or written to the store.
  const paths = ctx.app.local.paths;
  if (opts.state !== undefined && opts.state !== false && !opts.dryRun)
    await paths.stateFile(opts.state, { bucket: opts.bucket });
  if (opts.report !== undefined) {
    await paths.reportFile(opts.report);
    // --report is truncated when it opens: it must not be a file this run reads.
    const read: [string | false | undefined, string][] = [
      [opts.state, '--state'],
      [opts.manifest !== undefined && !isS3Uri(opts.manifest) ? opts.manifest : undefined, '--manifest'],
    ];
    for (const [other, flag] of read)
      if (typeof other === 'string' && (await paths.sameFile(opts.report, other)))
        throw new UsageError(
          `--report ${opts.report} is the ${flag} file: writing the report would erase it`,
          'give --report a file of its own; nothing was written',
          'ConflictingOptions',
        );
  }
  const checked = new Map<string, ManifestCheck>();
  if (opts.manifest !== undefined && !isS3Uri(opts.manifest))
    await checkLocalManifests((await ctx.app.services(ctx.global)).encrypt.manifests, opts, checked);
  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(ctx, svc, opts, svc.region);
  const engine = svc.encrypt;
  const out = ctx.out;
  const source = await openSource(opts, engine, svc.objects, key, out, checked);
  if (source.total === 0 && !opts.allowEmpty) {
    // Known before anything is opened or written: a manifest with no rows.
    out.record({ summary: { processed: 0, empty: true } });
    out.say(
      out.style.red(`NOTHING TO DO: ${source.label} names no object; pass --allow-empty if that is expected`),
    );
    return ExitCode.NOT_COMPLIANT;
  }

  // Files first: an unwritable --report or --state stops the run before any object is touched.
  const report: ReportSink | undefined = opts.report ? await engine.openReport(opts.report) : undefined;
  let state: StateStore | undefined;
  let statePath: string | undefined;
  if (opts.state !== false && !opts.dryRun) {
    statePath = opts.state ?? defaultStatePath(ctx.app.cwd, opts.bucket, key.id, source.identity);
    state = await engine.openState(
      statePath,
      { bucket: opts.bucket, kmsKey: key.id, inputs: source.identity },
      opts.concurrency,
    );
  }

  const bucketKey = key.checked ? 'required' : 'accept-absent';
  out.say(
    printable(
      `${opts.dryRun ? 'Planning' : 'Encrypting'} s3://${opts.bucket}/${opts.prefix ?? ''} under ${key.id} (bucket key on) from ${source.label}${source.total !== undefined ? ` (${formatCount(source.total)} objects)` : ''}`,
    ),
  );
  if (statePath)
    out.say(
      `State: ${statePath}${state && state.resumedCount > 0 ? ` (resuming: ${formatCount(state.resumedCount)} objects finished by earlier runs are skipped)` : ''}`,
    );
  else if (opts.dryRun) out.say('Dry run: nothing is written (no objects, no state file).');
  await checkBucketDefault(svc, opts.bucket, key, out);
  if (bucketKey === 'accept-absent')
    out.say(
      'Bucket key: not verifiable (--skip-key-check): a read-back without BucketKeyEnabled is accepted; an explicit false is not.',
    );

  const failures: ObjectResult[] = [];
  let shown = 0;
  let last: Progress | undefined;
  // The count walk only feeds the progress line: without a terminal it would be requests for nothing.
  const ahead =
    out.interactive && source.listAhead
      ? new CountAhead(source.listAhead(), (o) => !(o as { isDeleteMarker?: boolean }).isDeleteMarker)
      : undefined;
  const live = new LiveProgress(out, () => progressView(last, source.total, ahead)).start();
  const summary = await runEncrypt(
    engine.store,
    {
      bucket: opts.bucket,
      key,
      source: source.refs,
      total: source.total,
      concurrency: opts.concurrency,
      multipartThreshold: opts.multipartThreshold,
      partSize: opts.partSize,
      copyMethod: opts.copyMethod,
      updateMethod: opts.updateMethod,
      bucketKey,
      mayAdoptAbsentBucketKey: svc.endpoint !== undefined,
      percentKeysSafe: svc.endpoint === undefined,
      dryRun: opts.dryRun,
      maxFailures: opts.maxFailures,
      signal: ctx.app.signal,
      state,
      report,
      runId: randomBytes(6).toString('hex'),
    },
    {
      onResult(r, p) {
        out.record(resultRecord(r));
        if (
          !out.json &&
          (r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'unverified') &&
          shown++ < opts.show
        )
          out.say(
            `  ${r.outcome.padEnd(8)} ${quoted(r.key)}${r.versionId ? ` (version ${r.versionId})` : ''}: ${printable(r.reason ?? '')}`,
          );
        if (r.outcome === 'failed' && failures.length < 5) failures.push(r);
        last = p;
      },
      onNote: (text) => out.warn(text),
      onRetry: (err, attempt) =>
        out.debug(`retry ${attempt}: ${err instanceof Error ? err.message : String(err)}`),
    },
  ).finally(() => {
    ahead?.stop();
    live.stop();
  });
  const empty = summary.processed + summary.resumed === 0;
  render(out, summary, opts, statePath, empty);
  if (summary.interrupted) return ExitCode.INTERRUPTED;
  if (empty && !opts.allowEmpty) return ExitCode.NOT_COMPLIANT;
  return summary.failures > 0 || summary.unverified > 0 ? ExitCode.NOT_COMPLIANT : ExitCode.OK;
}

/**
 * The run only fixes what exists; objects the application writes meanwhile follow the bucket
 * default, and some stores (moto) give multipart copies a bucket key only through it.
 */
async function checkBucketDefault(
  svc: Services,
  bucket: string,
  key: ResolvedKey,
  out: Output,
): Promise<void> {
  // Only a warning here (create-job refuses instead): a failed read is noted, never fatal.
  const state = await readDefaultEncryption(svc, bucket, key).catch((err: unknown) => {
    if (err instanceof InterruptedError) throw err;
    return { state: 'unknown' as const, reason: err instanceof Error ? err.message : String(err) };
  });
  if (state.state === 'unknown') {
    out.debug(`bucket default encryption not readable (${state.reason})`);
    return;
  }
  if (state.state !== 'ready')
    out.warn(
      `the default encryption of ${bucket} is not SSE-KMS under ${key.id} with a bucket key: new writes stay unencrypted; run 's3-encrypt enable-sse' first`,
    );
}

/**
 * A local --manifest (and the local manifests a local summary.json lists) read through before
 * the first request (building the services sends none): bytes that are not UTF-8, bad rows and
 * rows of another bucket are refused with nothing sent. The counts are kept for openSource().
 */
async function checkLocalManifests(
  reader: EncryptServices['manifests'],
  opts: Options,
  checked: Map<string, ManifestCheck>,
): Promise<void> {
  const location = opts.manifest as string;
  const locations = /\.json$/i.test(location)
    ? summaryPlan(await reader.text(location), location, opts.bucket)
        .manifests.map((m) => manifestLocation(m.location, location, reader))
        .filter((at) => !isS3Uri(at))
    : [location];
  for (const at of locations) checked.set(at, await checkManifest(reader, at, opts.bucket));
}

async function openSource(
  opts: Options,
  engine: EncryptServices,
  objects: ObjectReader,
  key: ResolvedKey,
  out: Output,
  checked: ReadonlyMap<string, ManifestCheck>,
): Promise<Source> {
  const check = async (at: string): Promise<ManifestCheck> =>
    checked.get(at) ?? (await checkManifest(reader, at, opts.bucket));
  const reader = engine.manifests;
  if (opts.manifest === undefined) {
    const prefix = opts.prefix;
    return {
      refs: (async function* () {
        for await (const o of objects.list(opts.bucket, { prefix, allVersions: false }))
          if (!o.isDeleteMarker) yield { key: o.key };
      })(),
      label: `a live listing${prefix ? ` of ${prefix}` : ''}`,
      identity: `live:${prefix ?? ''}`,
      listAhead: () => objects.list(opts.bucket, { prefix, allVersions: false }),
    };
  }
  const location = opts.manifest;
  if (/\.json$/i.test(location)) {
    const plan = summaryPlan(await reader.text(location), location, opts.bucket);
    if (plan.kmsKey !== key.id)
      out.warn(
        `${location} was built for key ${plan.kmsKey}; encrypting under ${key.id} (each object is checked against ${key.id})`,
      );
    const files: string[] = [];
    let total = 0;
    for (const m of plan.manifests) {
      const at = manifestLocation(m.location, location, reader);
      total += (await check(at)).rows;
      files.push(at);
    }
    for (const m of plan.skipped)
      out.warn(
        `${m.name}: ${formatCount(m.objects)} objects not processed (${m.group}: restore them first, then list them in a manifest)`,
      );
    return {
      refs: (async function* () {
        for (const f of files) yield* refsFromManifest(reader, f);
      })(),
      total,
      label: `${location} (${plan.manifests.map((m) => m.name).join(', ') || 'no manifests'})`,
      identity: `summary:${location}`,
    };
  }
  return {
    refs: refsFromManifest(reader, location),
    total: (await check(location)).rows,
    label: location,
    identity: `manifest:${location}`,
  };
}

/** A local manifest path in a summary: as written, or next to the summary when moved with it. */
function manifestLocation(
  entry: string,
  summaryLocation: string,
  reader: EncryptServices['manifests'],
): string {
  if (/^s3:\/\//i.test(entry) || reader.exists(entry)) return entry;
  const beside = join(dirname(summaryLocation), basename(entry));
  return reader.exists(beside) ? beside : entry;
}

export function defaultStatePath(cwd: string, bucket: string, keyId: string, identity: string): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([bucket, keyId, identity]))
    .digest('hex')
    .slice(0, 12);
  return join(cwd, '.s3-encrypt-state', `${bucket}-${hash}.jsonl`);
}

/** The progress line: over a manifest's row count, or the count of a listing walked ahead. */
function progressView(
  p: Progress | undefined,
  total: number | undefined,
  ahead: CountAhead | undefined,
): ProgressView {
  const done = p?.done ?? 0;
  const of = total !== undefined ? { total, growing: false } : listingTotal(done, ahead);
  return {
    done,
    ...of,
    unit: 'objects',
    extras: [formatBytes(p?.bytes ?? 0), `${formatCount(p?.failures ?? 0)} failed`],
  };
}

const LABEL: Record<Category, string> = {
  'skipped-compliant': 'already compliant',
  updated: 'updated (UpdateObjectEncryption)',
  copied: 'copied (CopyObject)',
  'multipart-copied': 'copied (multipart)',
  skipped: 'skipped',
  vanished: 'vanished (proved deleted meanwhile)',
  unverified: 'unverified (the store proved nothing)',
  failed: 'failed',
};

function render(
  out: Output,
  s: EncryptSummary,
  opts: Options,
  statePath: string | undefined,
  empty: boolean,
): void {
  out.record({ summary: { ...s, statePath: statePath ?? null, empty } });
  if (out.json) return;
  const rows = [['result', 'objects', 'bytes']];
  if (s.dryRun) {
    for (const [action, c] of Object.entries(s.planned))
      rows.push([`would ${action}`, formatCount(c.objects), formatBytes(c.bytes)]);
    for (const cat of ['skipped-compliant', 'skipped', 'vanished', 'unverified', 'failed'] as const)
      if (s.byCategory[cat].objects > 0)
        rows.push([LABEL[cat], formatCount(s.byCategory[cat].objects), formatBytes(s.byCategory[cat].bytes)]);
  } else {
    for (const cat of Object.values(Category))
      if (s.byCategory[cat].objects > 0 || cat === Category.FAILED || cat === Category.UNVERIFIED)
        rows.push([LABEL[cat], formatCount(s.byCategory[cat].objects), formatBytes(s.byCategory[cat].bytes)]);
  }
  for (const [reason, c] of Object.entries(s.skippedByReason))
    rows.push([`  skipped: ${reasonCode(reason)}`, formatCount(c.objects), formatBytes(c.bytes)]);
  if (s.resumed > 0) rows.push(['finished earlier (state file)', formatCount(s.resumed), '']);
  out.say('');
  out.say(table(rows));
  if (s.dryRun && s.requests && s.kms) {
    out.say('');
    out.say('Requests (estimate):');
    out.say(
      table(
        Object.entries(s.requests)
          .filter(([, n]) => n > 0)
          .map(([api, n]) => [`  ${api}`, formatCount(n)]),
      ),
    );
    if (s.aclsInForce)
      out.say('  (ACL requests are upper bounds: an ACL is put back only where a copy changed it)');
    out.say(`KMS requests (estimate): at most ${formatCount(s.kms.upperBound)}: ${s.kms.assumption}`);
    if (s.planned.update)
      out.say(
        'UpdateObjectEncryption is probed at run time; where the store lacks it (S3-compatible stores), those objects are copied instead.',
      );
  }
  out.say('');
  const how = [
    s.updateObjectEncryption.note,
    s.copyMethod.note,
    s.bucketKey.acceptedAbsent ? 'bucket keys: not reported by this store (absence accepted)' : undefined,
    s.pacing.throttles > 0
      ? `throttled ${formatCount(s.pacing.throttles)} times: concurrency went down to ${s.pacing.lowestConcurrency}`
      : undefined,
    s.pacing.retries > 0 ? `${formatCount(s.pacing.retries)} requests retried` : undefined,
  ].filter((x): x is string => x !== undefined);
  for (const line of how) out.say(`  ${line}`);
  const elapsed = formatDuration(s.elapsedMs / 1000);
  if (empty && !s.interrupted) {
    const line = `NOTHING EXAMINED: no object matched s3://${s.bucket}/${opts.prefix ?? ''}${opts.allowEmpty ? ' (--allow-empty)' : '; check --prefix / --manifest, or pass --allow-empty if that is expected'}`;
    out.say(opts.allowEmpty ? line : out.style.red(line));
    return;
  }
  if (s.dryRun) {
    out.say(
      `Dry run: ${formatCount(s.processed)} objects read in ${elapsed}; nothing was written.${s.unverified > 0 ? ` ${formatCount(s.unverified)} could not be verified (see above).` : ''}`,
    );
    return;
  }
  const written =
    s.byCategory.updated.objects + s.byCategory.copied.objects + s.byCategory['multipart-copied'].objects;
  const skipped = s.byCategory.skipped.objects;
  if (s.interrupted)
    out.say(
      out.style.yellow(
        `INTERRUPTED after ${formatCount(s.processed)} objects (${formatCount(written)} rewritten): run the same command again to resume.`,
      ),
    );
  else if (s.stoppedAtFailureStreak)
    out.say(
      out.style.red(
        `STOPPED: ${formatCount(s.stoppedAtFailureStreak.objects)} objects in a row failed, none done in between (last: ${printable(s.stoppedAtFailureStreak.lastReason ?? 'no reason')}); fix the cause and run again (the state file resumes).`,
      ),
    );
  else if (s.stoppedAtMaxFailures)
    out.say(
      out.style.red(
        `STOPPED at --max-failures ${opts.maxFailures}: ${formatCount(s.failures)} objects failed; fix the cause and run again.`,
      ),
    );
  else if (s.failures > 0 || s.unverified > 0) {
    const of = `of ${formatCount(s.processed)} objects`;
    const what =
      s.failures === 0
        ? `UNVERIFIED: ${formatCount(s.unverified)} ${of} could not be verified (the store's answers proved nothing)`
        : `FAILED: ${formatCount(s.failures)} ${of} failed${s.unverified > 0 ? ` and ${formatCount(s.unverified)} could not be verified` : ''}`;
    out.say(
      out.style.red(
        `${what} (reasons above${opts.report ? ` and in ${opts.report}` : ''}); run again to retry them.`,
      ),
    );
  } else
    out.say(
      out.style.green(
        `DONE: ${formatCount(written)} objects rewritten and read back, ${formatCount(s.byCategory['skipped-compliant'].objects)} already compliant${skipped > 0 ? `, ${formatCount(skipped)} skipped with a reason (see above)` : ''}${s.byCategory.vanished.objects > 0 ? `, ${formatCount(s.byCategory.vanished.objects)} proved deleted meanwhile` : ''} in ${elapsed}.`,
      ),
    );
}
