import { rmSync } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';
import type { TestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const devServer = (globalThis as Record<string, unknown>).__heraldDevServer as DevServer | undefined;
  await devServer?.stop();
  ((globalThis as Record<string, unknown>).__heraldPostgres as TestPostgres | undefined)?.stop();
  if (process.env.HERALD_TEST_SCRATCH) rmSync(process.env.HERALD_TEST_SCRATCH, { recursive: true, force: true });
}
