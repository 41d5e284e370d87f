/**
 * The listing walked ahead of the workers: while they work through what was listed, the next
 * page is already being fetched, so a worker never waits for a page round trip (tens of ms to a
 * distant store, once per 1,000 objects). At most `capacity` items are held (two pages by
 * default): memory stays bounded whatever the listing's size. Errors of the source come out
 * where they happened, after the items listed before them.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, capacity = 2000): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const signal = (w: (() => void) | undefined): void => w?.();

  const produce = async (): Promise<void> => {
    try {
      while (!stopped) {
        if (buffer.length >= capacity) {
          await new Promise<void>((r) => (wakeProducer = r));
          continue;
        }
        const next = await iterator.next();
        if (next.done) break;
        buffer.push(next.value);
        const w = wakeConsumer;
        wakeConsumer = undefined;
        signal(w);
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      const w = wakeConsumer;
      wakeConsumer = undefined;
      signal(w);
    }
  };
  const producer = produce();
  try {
    for (;;) {
      if (buffer.length > 0) {
        const item = buffer.shift() as T;
        const w = wakeProducer;
        wakeProducer = undefined;
        signal(w);
        yield item;
        continue;
      }
      if (ended) break;
      await new Promise<void>((r) => (wakeConsumer = r));
    }
    if (failure) throw failure.error;
  } finally {
    stopped = true;
    signal(wakeProducer);
    await producer;
    if (failure === undefined) await iterator.return?.();
  }
}
