// The worker's pruning of sent-message records: how long a record is kept, and the hourly timer.
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { destinationInputSchema } from '../../src/destinations/schema';
import { waitBeforeAttempt } from '../../src/domain/schedule';
import { LONGEST_RETRY_SCHEDULE_MS, sentMessageRetentionMs } from '../../src/sent-message-pruning';
import { PRUNE_INTERVAL_MS, startPruning } from '../../src/store-pruning';
import { REDELIVERY_GRACE_MS } from '../../src/workflows/alert/messages';

const DAY_MS = 86_400_000;
const slack = (retry_schedule: number[]) =>
  destinationInputSchema.safeParse({ name: 's', type: 'slack', config: { webhook_url: 'https://hooks.slack.com/services/T/B/x' }, retry_schedule });

describe('sentMessageRetentionMs', () => {
  test('the longest alert lifetime, then the redelivery grace, then the longest retry schedule', () => {
    expect(REDELIVERY_GRACE_MS).toBe(7 * DAY_MS);
    expect(sentMessageRetentionMs(loadConfig({}))).toBe(30 * DAY_MS + 7 * DAY_MS + LONGEST_RETRY_SCHEDULE_MS);
    expect(sentMessageRetentionMs({ alertMaxLifetimeMs: DAY_MS })).toBe(DAY_MS + 7 * DAY_MS + LONGEST_RETRY_SCHEDULE_MS);
  });

  test('no schedule a destination may have outlasts the longest retry schedule, whatever Retry-After and jitter do', () => {
    const longest = Array<number>(20).fill(86_400);
    expect(slack(longest).success).toBe(true);
    expect(slack([...longest, 1]).success).toBe(false); // more waits are refused…
    expect(slack([0, 86_401]).success).toBe(false); // …and so are longer ones
    let total = 0;
    for (let i = 0; i < longest.length; i++) total += waitBeforeAttempt(longest, i, 0.999999, Number.MAX_SAFE_INTEGER)!;
    expect(total).toBeLessThanOrEqual(LONGEST_RETRY_SCHEDULE_MS);
    expect(LONGEST_RETRY_SCHEDULE_MS).toBeLessThan(23 * DAY_MS); // and the margin is not absurd
  });
});

describe('startPruning (as the worker runs it for sent-message records)', () => {
  const logger = pino({ level: 'silent' });
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  test('prunes at start and then every hour, cutting at now minus the retention; stop ends it', async () => {
    const prune = jest.fn(async (_olderThan: Date) => 0);
    const pruning = startPruning('sent-message records', { prune }, DAY_MS, logger);
    expect(prune).toHaveBeenCalledTimes(1);
    expect(prune.mock.calls[0]![0]).toEqual(new Date('2026-02-28T00:00:00Z'));
    await jest.advanceTimersByTimeAsync(PRUNE_INTERVAL_MS);
    expect(prune).toHaveBeenCalledTimes(2);
    expect(prune.mock.calls[1]![0]).toEqual(new Date('2026-02-28T01:00:00Z'));
    await pruning.stop();
    await jest.advanceTimersByTimeAsync(5 * PRUNE_INTERVAL_MS);
    expect(prune).toHaveBeenCalledTimes(2);
  });

  test('the timer does not keep the process alive', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const pruning = startPruning('sent-message records', { prune: async () => 0 }, DAY_MS, logger);
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await pruning.stop();
    spy.mockRestore();
  });

  test('a failed prune is logged and the next hour tries again; a slow one is not run twice at once', async () => {
    const lines: string[] = [];
    const quiet = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    let finish!: (n: number) => void;
    const prune = jest
      .fn<Promise<number>, [Date]>()
      .mockRejectedValueOnce(new Error('database is locked'))
      .mockImplementationOnce(() => new Promise<number>((resolve) => (finish = resolve)))
      .mockResolvedValue(0);
    const pruning = startPruning('sent-message records', { prune }, DAY_MS, quiet);
    await jest.advanceTimersByTimeAsync(0);
    expect(lines.join('')).toContain('pruning sent-message records failed');
    await jest.advanceTimersByTimeAsync(PRUNE_INTERVAL_MS); // the slow one starts…
    await jest.advanceTimersByTimeAsync(PRUNE_INTERVAL_MS); // …and is still running an hour later
    expect(prune).toHaveBeenCalledTimes(2);
    const stopped = pruning.stop();
    finish(3);
    await stopped; // stop waits for the prune under way
    expect(prune).toHaveBeenCalledTimes(2);
  });
});
