import { rmSync } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';

export default async function globalTeardown(): Promise<void> {
  const devServer = (globalThis as Record<string, unknown>).__heraldDevServer as DevServer | undefined;
  await devServer?.stop();
  if (process.env.HERALD_TEST_SCRATCH) rmSync(process.env.HERALD_TEST_SCRATCH, { recursive: true, force: true });
}
