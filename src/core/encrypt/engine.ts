import { pool } from '../concurrency/pool.js';
import { RefusalGuard } from '../verify/refusals.js';
import { InterruptedError } from '../errors.js';
import type { ResolvedKey } from '../kms/key.js';
import { aclsInForce } from './acl.js';
import { limiterFor } from '../concurrency/aimd.js';
import { RateLimit, rateLimited } from '../concurrency/rate-limit.js';
import { readAhead } from '../concurrency/read-ahead.js';
import { systemClock, type Clock } from '../concurrency/clock.js';
import { processObject, type TaskContext } from './object-task.js';
import { RequestEstimator, type KmsEstimate, type RequestEstimate } from './request-estimate.js';
import type { ObjectStore, ReportSink, StateStore } from './ports.js';
import { BucketKeyVerdict, CopyMethodState, UoeCapability, type UoeState } from './probes.js';
import { ENGINE_RETRY, type RetryPolicy } from '../failure.js';
import { paced, type Pacing } from './retry.js';
import { isStoreError } from './store-error.js';
import { abortLeftovers } from './leftover-uploads.js';
import { EncryptTally, type CountBytes } from './tally.js';
import type {
  BucketKeyPolicy,
  Category,
  CopyMethod,
  ObjectRef,
  ObjectResult,
  UpdateMethod,
} from './types.js';

/** What one encrypt run is asked to do. Everything the CLI flags decide is here. */
export interface EncryptInput {
  bucket: string;
  key: ResolvedKey;
  /** The objects, streamed (a listing or manifest rows): pulled lazily by the workers. */
  source: AsyncIterable<ObjectRef>;
  /** Objects in `source` when known (manifests), for progress and ETA. */
  total?: number | undefined;
  /**
   * Requests in flight: a fixed ceiling (the limit starts there and only comes down on
   * throttling); undefined: the limit finds itself, from ADAPTIVE.start up to ADAPTIVE.ceiling.
   */
  concurrency?: number | undefined;
  /** Objects started per second, at most (--max-rate). */
  maxRate?: number | undefined;
  multipartThreshold: number;
  partSize: number;
  /** UploadPartCopy requests in flight per multipart object (still under the run's limit). */
  partConcurrency?: number | undefined;
  copyMethod: CopyMethod;
  updateMethod: UpdateMethod;
  bucketKey: BucketKeyPolicy;
  /** S3-compatible endpoint: a store that never reports BucketKeyEnabled may be accepted as such. */
  mayAdoptAbsentBucketKey: boolean;
  /** False on S3-compatible endpoints (see decide.ts). */
  percentKeysSafe: boolean;
  dryRun: boolean;
  /** Stop starting new objects after this many failures. */
  maxFailures?: number | undefined;
  signal?: AbortSignal | undefined;
  state?: StateStore | undefined;
  report?: ReportSink | undefined;
  clock?: Clock | undefined;
  retry?: RetryPolicy | undefined;
  /** Suffix of the UpdateObjectEncryption probe key (unique per run). */
  runId?: string | undefined;
}

interface Progress {
  done: number;
  total?: number | undefined;
  bytes: number;
  failures: number;
  elapsedMs: number;
}

export interface EncryptHooks {
  /** Every finished object, in completion order. */
  onResult?: (r: ObjectResult, p: Progress) => void;
  /** One-time notes about the store and the run (probe verdicts, leftovers aborted). */
  onNote?: (text: string) => void;
  onRetry?: (err: unknown, attempt: number) => void;
}

export interface EncryptSummary {
  bucket: string;
  kmsKey: string;
  dryRun: boolean;
  processed: number;
  bytes: number;
  /** Objects skipped because the state file says an earlier run finished them. */
  resumed: number;
  byCategory: Record<Category, CountBytes>;
  skippedByReason: Record<string, CountBytes>;
  /** Dry run: objects per planned action. */
  planned: Record<string, CountBytes>;
  failures: number;
  /** Objects the store never showed (answers that proved nothing): the run is not done. */
  unverified: number;
  interrupted: boolean;
  stoppedAtMaxFailures: boolean;
  /**
   * Set when FAILURE_STREAK objects in a row failed with none done in between (the store or the
   * network stopped working mid-run): the run stops rather than fail every object that is left.
   */
  stoppedAtFailureStreak: { objects: number; lastReason: string | undefined } | undefined;
  copyMethod: { mode: CopyMethod; used: 'copy' | 'multipart' | 'undecided'; note?: string | undefined };
  updateObjectEncryption: { state: UoeState; note?: string | undefined };
  bucketKey: { policy: BucketKeyPolicy; acceptedAbsent: boolean };
  aclsInForce: boolean | undefined;
  pacing: {
    throttles: number;
    retries: number;
    lowestConcurrency: number;
    /** Times the limit was cut (throttling, connections reset): a burst within a second counts once. */
    backoffs: number;
    highestConcurrency: number;
  };
  /** Multipart uploads left open by a killed run, aborted before this one started. */
  abortedLeftoverUploads: number;
  requests?: RequestEstimate | undefined;
  kms?: KmsEstimate | undefined;
  elapsedMs: number;
}

/**
 * Objects in a row that failed (or could not be verified), none done between them, after which
 * a run stops: an endpoint that died mid-run would otherwise cost every remaining object its full
 * retries (about a minute each) before the run could end. @internal
 */
export const FAILURE_STREAK = 50;

/**
 * The direct engine as a use case: every object of `input.source` brought to SSE-KMS under
 * `input.key` with a bucket key, through any ObjectStore (the AWS adapter, or a benchmark fake).
 * One failed object never stops the run; results stream to hooks, state and report as they finish.
 */
export async function runEncrypt(
  store: ObjectStore,
  input: EncryptInput,
  hooks: EncryptHooks = {},
): Promise<EncryptSummary> {
  const clock = input.clock ?? systemClock;
  const started = clock.now();
  const limiter = limiterFor(input.concurrency, clock);
  let retries = 0;
  const pacing: Pacing = {
    limiter,
    clock,
    policy: input.retry ?? ENGINE_RETRY,
    onRetry: (err, attempt) => {
      retries++;
      hooks.onRetry?.(err, attempt);
    },
    signal: input.signal,
  };
  const notes = new Set<string>();
  const note = (text: string): void => {
    if (notes.has(text)) return;
    notes.add(text);
    hooks.onNote?.(text);
  };

  let acls: Promise<boolean> | undefined;
  let aclsKnown: boolean | undefined;
  const resolveAcls = (): Promise<boolean> => {
    acls ??= paced(() => store.ownership(input.bucket), pacing).then(
      (o) => (aclsKnown = aclsInForce(o)),
      (err: unknown) => {
        // Unknown ownership: reading ACLs is the safe side (a copy would otherwise drop grants).
        if (!input.signal?.aborted)
          note(
            `could not read the bucket's ownership controls (${isStoreError(err) ? err.awsCode : String(err)}): object ACLs are read and restored`,
          );
        return (aclsKnown = true);
      },
    );
    return acls;
  };

  const ctx: TaskContext = {
    bucket: input.bucket,
    store,
    key: input.key,
    pacing,
    clock,
    dryRun: input.dryRun,
    multipartThreshold: input.multipartThreshold,
    partSize: input.partSize,
    partConcurrency: input.partConcurrency ?? 4,
    percentKeysSafe: input.percentKeysSafe,
    bucketKey: new BucketKeyVerdict(input.bucketKey, input.mayAdoptAbsentBucketKey),
    uoe: new UoeCapability(input.updateMethod === 'off' ? 'unsupported' : 'unknown'),
    copyMethod: new CopyMethodState(input.copyMethod),
    aclsInForce: resolveAcls,
    state: input.dryRun || !input.state ? undefined : untilInterrupted(input.state, input.signal),
    copier: {},
    probeKey: `.s3-encrypt-probe/${input.runId ?? String(started)}`,
    note,
  };
  if (input.updateMethod === 'off')
    ctx.uoe.note = 'UpdateObjectEncryption off (--update-method off): copying instead';

  // Stop pulling on Ctrl-C or at --max-failures. At --max-failures the objects in flight finish;
  // on Ctrl-C their requests are aborted (the adapters listen to the same signal), and an object
  // cut short that way has no result: not in the state file, the report or the summary, so the
  // next run does it again.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (input.signal?.aborted) stop.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });

  const tally = new EncryptTally();
  let estimator: RequestEstimator | undefined;
  let resumed = 0;
  let stoppedAtMaxFailures = false;
  let stoppedAtFailureStreak: EncryptSummary['stoppedAtFailureStreak'];
  let streak = 0;
  let abortedLeftoverUploads: number;
  const state = input.state;
  const rate = input.maxRate !== undefined ? new RateLimit(input.maxRate, clock) : undefined;
  async function* pending(): AsyncGenerator<ObjectRef> {
    for await (const ref of readAhead(input.source)) {
      if (state?.isFinished(ref)) {
        resumed++;
        continue;
      }
      yield ref;
    }
  }
  const refusals = new RefusalGuard(`s3://${input.bucket}`);
  const work = async (ref: ObjectRef): Promise<ObjectResult> => {
    const r = await processObject(ref, ctx);
    // A failure while the interrupt aborts every request is the interrupt's, not the object's.
    if ((r.outcome === 'failed' || r.outcome === 'unverified') && input.signal?.aborted)
      throw new InterruptedError(`interrupted while processing ${JSON.stringify(ref.key)}`);
    return r;
  };
  try {
    abortedLeftoverUploads = input.dryRun ? 0 : await abortLeftovers(store, input, pacing, note);
    estimator = input.dryRun ? new RequestEstimator(await resolveAcls()) : undefined;
    for await (const r of pool(rateLimited(pending(), rate), limiter.max, work, stop.signal)) {
      if (!input.dryRun) state?.recordResult({ key: r.key, versionId: r.versionId }, r);
      input.report?.write(r);
      tally.add(r);
      refusals.record(r.outcome !== 'unverified', r.reason);
      estimator?.add(r);
      hooks.onResult?.(r, {
        done: tally.processed + resumed,
        total: input.total,
        bytes: tally.bytes,
        failures: tally.failures,
        elapsedMs: clock.now() - started,
      });
      if (input.maxFailures !== undefined && tally.failures >= input.maxFailures && !stop.signal.aborted) {
        stoppedAtMaxFailures = true;
        stop.abort();
      }
      streak = r.outcome === 'failed' || r.outcome === 'unverified' ? streak + 1 : 0;
      if (streak >= FAILURE_STREAK && !stop.signal.aborted) {
        stoppedAtFailureStreak = { objects: streak, lastReason: r.reason };
        stop.abort();
      }
    }
    if (!stop.signal.aborted) refusals.finish();
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    await input.state?.close();
    await input.report?.close();
  }
  return {
    bucket: input.bucket,
    kmsKey: input.key.id,
    dryRun: input.dryRun,
    processed: tally.processed,
    bytes: tally.bytes,
    resumed,
    byCategory: tally.byCategory,
    skippedByReason: tally.skippedByReason,
    planned: tally.planned,
    failures: tally.failures,
    unverified: tally.unverified,
    interrupted: input.signal?.aborted === true,
    stoppedAtMaxFailures,
    stoppedAtFailureStreak,
    copyMethod: {
      mode: input.copyMethod,
      used: ctx.copyMethod.resolved ?? 'undecided',
      note: ctx.copyMethod.note,
    },
    updateObjectEncryption: { state: ctx.uoe.state, note: ctx.uoe.note },
    bucketKey: { policy: ctx.bucketKey.policy, acceptedAbsent: ctx.bucketKey.policy === 'accept-absent' },
    aclsInForce: aclsKnown,
    pacing: {
      throttles: limiter.throttles,
      retries,
      lowestConcurrency: limiter.lowest,
      backoffs: limiter.backoffs,
      highestConcurrency: limiter.highest,
    },
    abortedLeftoverUploads,
    requests: estimator?.requests,
    kms: estimator?.kmsEstimate(),
    elapsedMs: clock.now() - started,
  };
}

/**
 * The state file as the objects' tasks see it. After the interrupt, a CreateMultipartUpload whose
 * answer was cut short may still have created an upload: its intent is kept (not closed), so the
 * next run lists that key's uploads and aborts what this one may have left.
 */
function untilInterrupted(state: StateStore, signal: AbortSignal | undefined): StateStore {
  if (!signal) return state;
  return {
    get resumedCount() {
      return state.resumedCount;
    },
    isFinished: (ref) => state.isFinished(ref),
    openUploads: () => state.openUploads(),
    recordResult: (ref, r) => state.recordResult(ref, r),
    recordUploadIntent: (key, at, existing) => state.recordUploadIntent(key, at, existing),
    recordUploadOpened: (key, uploadId) => state.recordUploadOpened(key, uploadId),
    recordUploadClosed: (key, uploadId) => {
      if (uploadId === undefined && signal.aborted) return;
      state.recordUploadClosed(key, uploadId);
    },
    close: () => state.close(),
  };
}
