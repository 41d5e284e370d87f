import { InterruptedError } from '../errors.js';

/**
 * Run `worker` over `items` with at most `concurrency` in flight: N workers pull from one shared
 * iterator, so memory holds N items, not the listing. Results come out in completion order.
 * A worker must not throw for one bad item; it returns a result that says so. If it throws anyway
 * the pool stops pulling, lets in-flight work settle, then rethrows.
 * When `signal` aborts, no new item is started; in-flight items finish and are yielded, except
 * those the abort itself cut short: a worker (or the source) that throws an InterruptedError
 * after the abort has no result, and is dropped rather than failing the whole pool. The caller
 * learns of the interrupt from its signal, as it does when the abort came between items.
 * When the consumer stops early (breaks, or throws from its loop), no new item is started either.
 */
export async function* pool<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  worker: (item: T) => Promise<R>,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : toAsync(items);
  const done: R[] = [];
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  // Set when the consumer stops early (break, or a throw in its loop): no new item is started.
  let closed = false;
  let active = 0;
  let wake: (() => void) | undefined;
  // Backpressure: a slow consumer holds the workers, so results never pile up unbounded.
  const limit = concurrency * 2;
  let spaceWaiters: (() => void)[] = [];
  const freeSpace = (): void => {
    const ws = spaceWaiters;
    spaceWaiters = [];
    for (const w of ws) w();
  };
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  // Pulling is serialised: async iterators are not safe to call next() on concurrently.
  let pulling = Promise.resolve();
  const pull = (): Promise<IteratorResult<T> | undefined> => {
    const p = pulling.then(() =>
      exhausted || failure || closed || signal?.aborted ? undefined : iterator.next(),
    );
    pulling = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };

  const cutShort = (error: unknown): boolean => signal?.aborted === true && error instanceof InterruptedError;

  const run = async (): Promise<void> => {
    for (;;) {
      let next: IteratorResult<T> | undefined;
      try {
        next = await pull();
      } catch (error) {
        if (cutShort(error)) exhausted = true;
        else failure ??= { error };
        break;
      }
      if (!next || next.done) {
        exhausted = true;
        break;
      }
      try {
        done.push(await worker(next.value));
      } catch (error) {
        if (cutShort(error)) continue;
        failure ??= { error };
        break;
      } finally {
        notify();
      }
      while (done.length >= limit && !failure) await new Promise<void>((r) => spaceWaiters.push(r));
    }
  };

  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) {
    active++;
    workers.push(
      run().finally(() => {
        active--;
        notify();
      }),
    );
  }
  try {
    for (;;) {
      while (done.length > 0) {
        const r = done.shift() as R;
        freeSpace();
        yield r;
      }
      if (active === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (done.length > 0 || active === 0) notify();
      });
    }
  } finally {
    if (active > 0) {
      // The consumer left early: let workers finish what they hold, start nothing new.
      closed = true;
      done.length = 0;
      freeSpace();
    }
  }
  await Promise.all(workers);
  while (done.length > 0) yield done.shift() as R;
  if (failure) {
    await iterator.return?.();
    throw failure.error;
  }
}

// Async only to give a plain iterable the async iterator protocol: there is nothing to await.
// eslint-disable-next-line @typescript-eslint/require-await
async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
