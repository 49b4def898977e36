// Waiting for a Temporal server we started to serve: until its frontend answers GetSystemInfo, or
// the process dies, or 90 s pass. The dev server and the cluster's frontend both start this way.
import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';

export async function untilFrontendAnswers(address: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) while starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.withDeadline(Date.now() + 2000, () => connection.workflowService.getSystemInfo({}));
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what} did not answer on ${address} within 90 s`);
}
