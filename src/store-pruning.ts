// Rows kept for a while only (sent-message records, audit entries): the worker forgets the older
// ones every hour, one prune at a time, on a timer that never keeps the process alive.
import type { Logger } from 'pino';

export const PRUNE_INTERVAL_MS = 3600 * 1000;

/** Prunes now and then every `intervalMs`; the timer never keeps the process alive. */
export function startPruning(
  what: string,
  store: { prune(before: Date): Promise<number> },
  retentionMs: number,
  logger: Logger,
  intervalMs = PRUNE_INTERVAL_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const prune = () => {
    if (running) return; // a slow database: one prune at a time
    running = store
      .prune(new Date(Date.now() - retentionMs))
      .then((pruned) => void (pruned > 0 && logger.info({ pruned }, `pruned ${what}`)))
      .catch((err) => logger.warn({ err }, `pruning ${what} failed; the next prune tries again`))
      .finally(() => (running = undefined));
  };
  prune();
  const timer = setInterval(prune, intervalMs).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running; // so the database is not closed under a prune
    },
  };
}
