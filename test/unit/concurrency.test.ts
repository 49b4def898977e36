import { runInKeyedChains } from '../../src/concurrency';

const tick = () => new Promise((r) => setTimeout(r, 1));

test('runs at most `limit` at a time, every item once', async () => {
  let running = 0;
  let most = 0;
  const done: number[] = [];
  await runInKeyedChains(Array.from({ length: 50 }, (_, i) => i), 4, String, async (i) => {
    running++;
    most = Math.max(most, running);
    await tick();
    running--;
    done.push(i);
  });
  expect(most).toBe(4);
  expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
});

test('items with one key run one after another in their order', async () => {
  const items = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2'];
  const seen: string[] = [];
  const active = new Set<string>();
  await runInKeyedChains(items, 3, (s) => s[0]!, async (s) => {
    expect(active.has(s[0]!)).toBe(false);
    active.add(s[0]!);
    await tick();
    active.delete(s[0]!);
    seen.push(s);
  });
  expect(seen.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  expect(seen.filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2']);
});

test('after a failure nothing new starts, the chains in flight finish, and the error comes out', async () => {
  const started: number[] = [];
  const finished: number[] = [];
  const run = runInKeyedChains(Array.from({ length: 20 }, (_, i) => i), 2, String, async (i) => {
    started.push(i);
    if (i === 1) throw new Error('down');
    await tick();
    finished.push(i);
  });
  await expect(run).rejects.toThrow('down');
  expect(started).toEqual([0, 1]);
  expect(finished).toEqual([0]);
});
