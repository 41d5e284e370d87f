/**
 * encrypt's use case: the checks made before the first request, the source of the objects
 * (encrypt-source.ts), the state and report files, the bucket default, then the engine
 * (engine.ts) over every object. Text for people is the caller's (output/encrypt-render.ts).
 */
import { CountAhead, listingTotal } from '../concurrency/count-ahead.js';
import { readDefaultEncryption } from '../encryption/default-state.js';
import { InterruptedError, PreconditionError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ResolvedKey } from '../kms/key.js';
import type { BucketEncryptionStore, KeyDirectory, ObjectReader } from '../ports.js';
import { isS3Uri } from '../s3-uri.js';
import { runEncrypt, type EncryptInput, type EncryptSummary } from './engine.js';
import {
  checkLocalManifests,
  defaultStatePath,
  openSource,
  type CheckedManifests,
  type FileNames,
  type SourceChoice,
} from './encrypt-source.js';
import type { EncryptServices, ManifestReader, ObjectStore, ReportSink, StateStore } from './ports.js';
import type { BucketKeyPolicy, ObjectResult } from './types.js';

/** State-file lines between fsyncs when --concurrency is not given. */
const FSYNC_EVERY = 16;

/** What the flags ask for. */
export interface EncryptRequest
  extends
    SourceChoice,
    Pick<
      EncryptInput,
      | 'concurrency'
      | 'maxRate'
      | 'multipartThreshold'
      | 'partSize'
      | 'copyMethod'
      | 'updateMethod'
      | 'dryRun'
      | 'maxFailures'
      | 'signal'
      | 'runId'
    > {
  /** --state FILE; false: --no-state; undefined: the default path. */
  state?: string | false | undefined;
  report?: string | undefined;
  allowEmpty: boolean;
  /** Count a live listing ahead of the workers: worth its requests only where a progress line shows. */
  countAhead: boolean;
}

/** The bucket reached: the first request of the run. */
interface EncryptTarget {
  key: ResolvedKey;
  engine: EncryptServices;
  objects: ObjectReader;
  encryption: BucketEncryptionStore;
  keys: KeyDirectory;
  /** Set for an S3-compatible store (--endpoint-url). */
  endpoint?: string | undefined;
}

export interface EncryptPorts {
  /** Checks of --state and --report, made before the first request. */
  paths: {
    stateFile(path: string, want: { bucket: string }): Promise<void>;
    reportFile(path: string): Promise<void>;
    sameFile(a: string, b: string): Promise<boolean>;
  };
  /** A reader of local manifests that sends no request (the bucket is not reached yet). */
  localManifests(): Promise<ManifestReader>;
  /** Reaches the bucket (its region) and checks the key. */
  connect(): Promise<EncryptTarget>;
  /** File names and the state file's hash, by the platform; `cwd` holds default state files. */
  host: FileNames & { cwd: string; sha256Hex(text: string): string };
}

/** The progress line's facts: `total` counted ahead on a live listing (`growing` until it ends). */
export interface EncryptProgress {
  done: number;
  total: number | undefined;
  growing: boolean;
  bytes: number;
  failures: number;
}

export interface EncryptEvents {
  /** A plain function (no `this`): the source reports its warnings through it. */
  warn: (text: string) => void;
  debug(text: string): void;
  /** Source and files are open; nothing was asked of any object yet. */
  opened(run: {
    keyId: string;
    label: string;
    total: number | undefined;
    statePath: string | undefined;
    resumed: number;
  }): void;
  /** The objects are about to start; `progress` may be read at any time until `stopped`. */
  running(run: { bucketKey: BucketKeyPolicy; progress: () => EncryptProgress }): void;
  result(r: ObjectResult): void;
  stopped(): void;
}

export type EncryptOutcome = { exitCode: number } & (
  | { kind: 'nothing-to-do'; label: string }
  | { kind: 'ran'; summary: EncryptSummary; statePath: string | undefined; empty: boolean }
);

export async function encryptBucket(
  ports: EncryptPorts,
  req: EncryptRequest,
  events: EncryptEvents,
): Promise<EncryptOutcome> {
  if (req.manifest !== undefined && req.prefix !== undefined)
    throw new UsageError(
      '--manifest and --prefix both choose the objects',
      'give only one',
      'ConflictingOptions',
    );
  const checked = await checkLocalFiles(ports, req);
  const target = await ports.connect();
  const { key, engine } = target;
  const source = await openSource(
    req,
    { manifests: engine.manifests, objects: target.objects, names: ports.host },
    key.id,
    checked,
    events.warn,
  );
  // Known before anything is opened or written: a manifest with no rows.
  if (source.total === 0 && !req.allowEmpty)
    return { kind: 'nothing-to-do', label: source.label, exitCode: ExitCode.NOT_COMPLIANT };
  // Before any file is opened or object touched: the run could only lose versions.
  await refuseSuspendedVersioning(engine.store, req.bucket);

  // Files first: an unwritable --report or --state stops the run before any object is touched.
  const report: ReportSink | undefined = req.report ? await engine.openReport(req.report) : undefined;
  let state: StateStore | undefined;
  let statePath: string | undefined;
  if (req.state !== false && !req.dryRun) {
    statePath = req.state ?? defaultStatePath(ports.host, req.bucket, key.id, source.identity);
    const header = { bucket: req.bucket, kmsKey: key.id, inputs: source.identity };
    // fsync every so many lines: the old default ceiling where the limit finds itself.
    state = await engine.openState(statePath, header, req.concurrency ?? FSYNC_EVERY);
  }
  events.opened({
    keyId: key.id,
    label: source.label,
    total: source.total,
    statePath,
    resumed: state?.resumedCount ?? 0,
  });
  await checkBucketDefault(target, req.bucket, events);

  const bucketKey: BucketKeyPolicy = key.checked ? 'required' : 'accept-absent';
  let done = { done: 0, bytes: 0, failures: 0 };
  // The count walk only feeds the progress line: without a terminal it would be requests for nothing.
  const ahead =
    req.countAhead && source.listAhead
      ? new CountAhead(source.listAhead(), (o) => !(o as { isDeleteMarker?: boolean }).isDeleteMarker)
      : undefined;
  events.running({
    bucketKey,
    progress: () => ({
      ...done,
      ...(source.total !== undefined
        ? { total: source.total, growing: false }
        : listingTotal(done.done, ahead)),
    }),
  });
  const summary = await runEncrypt(
    engine.store,
    {
      bucket: req.bucket,
      key,
      source: source.refs,
      total: source.total,
      concurrency: req.concurrency,
      maxRate: req.maxRate,
      multipartThreshold: req.multipartThreshold,
      partSize: req.partSize,
      copyMethod: req.copyMethod,
      updateMethod: req.updateMethod,
      bucketKey,
      mayAdoptAbsentBucketKey: target.endpoint !== undefined,
      percentKeysSafe: target.endpoint === undefined,
      dryRun: req.dryRun,
      maxFailures: req.maxFailures,
      signal: req.signal,
      state,
      report,
      runId: req.runId,
    },
    {
      onResult(r, p) {
        done = { done: p.done, bytes: p.bytes, failures: p.failures };
        events.result(r);
      },
      onNote: (text) => events.warn(text),
      onRetry: (err, attempt) =>
        events.debug(`retry ${attempt}: ${err instanceof Error ? err.message : String(err)}`),
    },
  ).finally(() => {
    ahead?.stop();
    events.stopped();
  });
  const empty = summary.processed + summary.resumed === 0;
  return { kind: 'ran', summary, statePath, empty, exitCode: exitCodeOf(summary, empty, req.allowEmpty) };
}

function exitCodeOf(s: EncryptSummary, empty: boolean, allowEmpty: boolean): number {
  if (s.interrupted) return ExitCode.INTERRUPTED;
  if (empty && !allowEmpty) return ExitCode.NOT_COMPLIANT;
  // A skipped object (archived, SSE-C, DSSE-KMS, a noncurrent version) is left as it was: not
  // compliant, so the run is not done, as verify would say. A dry run only plans.
  const leftAsItWas = s.dryRun ? 0 : s.byCategory.skipped.objects;
  return s.failures > 0 || s.unverified > 0 || leftAsItWas > 0 ? ExitCode.NOT_COMPLIANT : ExitCode.OK;
}

/**
 * Local files before the first request: a --state file that is not ours, an unusable path, a
 * --report that would erase a file this run reads, or a manifest that is not UTF-8 is refused
 * with nothing read from or written to the store.
 */
async function checkLocalFiles(ports: EncryptPorts, req: EncryptRequest): Promise<CheckedManifests> {
  const paths = ports.paths;
  if (req.state !== undefined && req.state !== false && !req.dryRun)
    await paths.stateFile(req.state, { bucket: req.bucket });
  const localManifest = req.manifest !== undefined && !isS3Uri(req.manifest) ? req.manifest : undefined;
  if (req.report !== undefined) {
    // --report is truncated when it opens: it must not be a file this run reads (said first: it is
    // the more precise of the two refusals a --report on the --manifest file meets).
    const read: [string | false | undefined, string][] = [
      [req.state, '--state'],
      [localManifest, '--manifest'],
    ];
    for (const [other, flag] of read)
      if (typeof other === 'string' && (await paths.sameFile(req.report, other)))
        throw new UsageError(
          `--report ${req.report} is the ${flag} file: writing the report would erase it`,
          'give --report a file of its own; nothing was written',
          'ConflictingOptions',
        );
    await paths.reportFile(req.report);
  }
  const checked: CheckedManifests = new Map();
  if (localManifest !== undefined)
    await checkLocalManifests(await ports.localManifests(), ports.host, localManifest, req.bucket, checked);
  return checked;
}

/**
 * The run only fixes what exists; objects the application writes meanwhile follow the bucket
 * default, and some stores (moto) give multipart copies a bucket key only through it. Only a
 * warning here (create-job refuses instead): a failed read is noted, never fatal.
 */
async function checkBucketDefault(
  target: EncryptTarget,
  bucket: string,
  events: EncryptEvents,
): Promise<void> {
  const state = await readDefaultEncryption(target, bucket, target.key).catch((err: unknown) => {
    if (err instanceof InterruptedError) throw err;
    return { state: 'unknown' as const, reason: err instanceof Error ? err.message : String(err) };
  });
  if (state.state === 'unknown') events.debug(`bucket default encryption not readable (${state.reason})`);
  else if (state.state !== 'ready')
    events.warn(
      `the default encryption of ${bucket} is not SSE-KMS under ${target.key.id} with a bucket key: new writes stay unencrypted; run 's3-encrypt enable-sse' first`,
    );
}

/**
 * With versioning Suspended, every write of a key makes its version "null", and a bucket holds
 * one null version per key: an in-place copy would replace, for good, an earlier null version
 * that is no longer current (one written before versioning was enabled, or during an earlier
 * suspension). Nothing may be lost, so the run is refused, a dry run too (it would not be that
 * run); with versioning enabled again the copies add versions and every old one stays.
 */
async function refuseSuspendedVersioning(
  store: Pick<ObjectStore, 'versioning'>,
  bucket: string,
): Promise<void> {
  if ((await store.versioning(bucket)) !== 'Suspended') return;
  throw new PreconditionError(
    'VersioningSuspended',
    `bucket ${bucket} has versioning Suspended: an in-place copy writes a new "null" version, which would replace for good an earlier null version of the key (one written before versioning was enabled)`,
    `enable versioning again first (aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled): the copies then add versions and keep every old one`,
  );
}
