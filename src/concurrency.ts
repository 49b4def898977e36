// Work on many items at once, but not all at once: a pool of `limit` runners takes chains of items
// (items sharing a key form one chain, run one after another in their order, so two entries for
// the same alert never race). After a failure no new chain starts; the first error is rethrown
// once the chains in flight have finished.

export async function runInKeyedChains<T>(items: readonly T[], limit: number, keyOf: (item: T) => string, work: (item: T) => Promise<void>): Promise<void> {
  const chains = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const chain = chains.get(key);
    if (chain) chain.push(item);
    else chains.set(key, [item]);
  }
  const queue = [...chains.values()];
  let failure: { error: unknown } | undefined;
  const runner = async () => {
    for (let chain = queue.shift(); chain && !failure; chain = queue.shift()) {
      for (const item of chain) {
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, runner));
  if (failure) throw failure.error;
}
