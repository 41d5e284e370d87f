// The first Ctrl-C aborts the requests in flight (the adapters listen to the run's signal): the
// engine then stops at once, and an object cut short has no result (not in the state file, the
// report or the summary), so the rerun does it; a backoff sleep does not hold the exit.
import { describe, expect, it } from 'vitest';
import { pool } from '../../../src/core/concurrency/pool.js';
import { AimdLimiter } from '../../../src/core/concurrency/aimd.js';
import { runEncrypt } from '../../../src/core/encrypt/engine.js';
import type { CopyInPlace } from '../../../src/core/encrypt/ports.js';
import { paced } from '../../../src/core/encrypt/retry.js';
import { StoreError } from '../../../src/core/encrypt/store-error.js';
import type { ObjectRef, ObjectResult } from '../../../src/core/encrypt/types.js';
import { InterruptedError } from '../../../src/core/errors.js';
import type { ResolvedKey } from '../../../src/core/kms/key.js';
import { FakeStore, MemoryReport, MemoryState } from '../../support/encrypt-fakes.js';

const KEY: ResolvedKey = {
  id: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  shortId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  checked: true,
};

/** A request that hangs until `signal` aborts, then fails as the adapters' aborted requests do. */
function hangUntil(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () =>
      reject(new StoreError('fatal', 'AbortError', 'interrupted while calling s3:PutObject'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

describe('encrypt, interrupted with requests in flight', () => {
  it('records, reports and counts only the objects that finished; the rest is left for the rerun', async () => {
    const store = new FakeStore('b', false);
    for (const k of ['a', 'b', 'c', 'd']) store.put(k, `body of ${k}`);
    const controller = new AbortController();
    // 'a' copies at once; the other copies hang until the interrupt aborts them.
    const copy = store.copyInPlace.bind(store);
    store.copyInPlace = (req: CopyInPlace) => (req.key === 'a' ? copy(req) : hangUntil(controller.signal));
    const state = new MemoryState();
    const report = new MemoryReport();
    const results: ObjectResult[] = [];
    async function* refs(): AsyncGenerator<ObjectRef> {
      for (const key of ['a', 'b', 'c', 'd']) yield { key };
    }
    const summary = await runEncrypt(
      store,
      {
        bucket: 'b',
        key: KEY,
        source: refs(),
        concurrency: 4,
        multipartThreshold: 1024 * 1024,
        partSize: 5 * 1024 * 1024,
        copyMethod: 'copy',
        updateMethod: 'off',
        bucketKey: 'required',
        mayAdoptAbsentBucketKey: false,
        percentKeysSafe: true,
        dryRun: false,
        signal: controller.signal,
        state,
        report,
        retry: { attempts: 6, baseMs: 1, capMs: 2 },
        runId: 'test',
      },
      {
        onResult: (r) => {
          results.push(r);
          // The interrupt comes once 'a' is done, with b, c and d in flight.
          if (r.key === 'a') setTimeout(() => controller.abort(), 10);
        },
      },
    );
    expect(results.map((r) => [r.key, r.outcome])).toEqual([['a', 'done']]);
    expect(state.lines).toEqual([{ t: 'r', k: 'a', o: 'done' }]);
    expect(report.lines.map((r) => r.key)).toEqual(['a']);
    expect(summary).toMatchObject({ interrupted: true, processed: 1, failures: 0 });
    expect(state.closed).toBe(true);
  });
});

describe('encrypt, interrupted during CreateMultipartUpload', () => {
  it('keeps the upload intent in the state file: the next run looks for an upload it may have made', async () => {
    const store = new FakeStore('b', false);
    store.put('big', 'x'.repeat(2048));
    const controller = new AbortController();
    store.createMultipartUpload = () => {
      setTimeout(() => controller.abort(), 5);
      return hangUntil(controller.signal);
    };
    const state = new MemoryState();
    async function* refs(): AsyncGenerator<ObjectRef> {
      yield { key: 'big' };
    }
    const summary = await runEncrypt(store, {
      bucket: 'b',
      key: KEY,
      source: refs(),
      concurrency: 1,
      multipartThreshold: 1024,
      partSize: 5 * 1024 * 1024,
      copyMethod: 'copy',
      updateMethod: 'off',
      bucketKey: 'required',
      mayAdoptAbsentBucketKey: false,
      percentKeysSafe: true,
      dryRun: false,
      signal: controller.signal,
      state,
      retry: { attempts: 6, baseMs: 1, capMs: 2 },
      runId: 'test',
    });
    expect(summary).toMatchObject({ interrupted: true, processed: 0, failures: 0 });
    expect(state.lines).toEqual([]);
    expect([...state.intents.keys()]).toEqual(['big']);
  });
});

describe('paced, interrupted', () => {
  it('ends a backoff sleep at once and starts no further try', async () => {
    const controller = new AbortController();
    let tries = 0;
    const forever = { now: () => 0, sleep: () => new Promise<void>(() => undefined), random: () => 0.5 };
    const p = paced(
      async () => {
        tries++;
        throw new StoreError('transient', 'InternalError', 'try again');
      },
      {
        limiter: new AimdLimiter(4, () => 0),
        clock: forever,
        policy: { attempts: 8, baseMs: 20_000, capMs: 20_000 },
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(tries).toBe(1);
  });
});

describe('pool, interrupted', () => {
  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  it('drops items the interrupt cut short instead of failing', async () => {
    const controller = new AbortController();
    const out = collect(
      pool(
        [1, 2, 3, 4],
        4,
        async (i) => {
          if (i === 1) return i;
          await new Promise((r) => setTimeout(r, 30));
          throw new InterruptedError('cut short');
        },
        controller.signal,
      ),
    );
    setTimeout(() => controller.abort(), 5);
    expect(await out).toEqual([1]);
  });

  it('still fails on an InterruptedError without an interrupt, and on other errors after one', async () => {
    await expect(
      collect(
        pool([1], 1, async () => {
          throw new InterruptedError('no interrupt was asked');
        }),
      ),
    ).rejects.toThrow('no interrupt was asked');
    const controller = new AbortController();
    controller.abort();
    const it = pool(
      (async function* () {
        yield 1;
      })(),
      1,
      async () => 1,
      controller.signal,
    );
    expect(await collect(it)).toEqual([]);
    const failing = new AbortController();
    await expect(
      collect(
        pool(
          [1],
          1,
          async () => {
            failing.abort();
            throw new Error('a real failure');
          },
          failing.signal,
        ),
      ),
    ).rejects.toThrow('a real failure');
  });
});
