// The embedded dev server's start-up: a port that is taken is reported as such (so tests and the
// bench can retry on other ports), and a server started on free ports answers and stops cleanly.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startDevServer } from '../../src/temporal/dev-server';
import { freeLoopbackPort, isLoopbackPortFree } from '../../src/free-port';
import { startDevServerOnFreePorts } from '../support/dev-server';

const scratch = () => mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'devserver-'));
const cliPath = () => process.env.TEMPORAL_CLI_PATH!;

test('a frontend port that is already taken fails the start with portTaken', async () => {
  // Whatever connects to it (the start-up probe does) is dropped, so nothing stays open after the test.
  const occupier = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
  const { port } = occupier.address() as net.AddressInfo;
  try {
    const start = startDevServer({ cliPath: cliPath(), dataDir: scratch(), port, uiPort: await freeLoopbackPort(), namespace: 'default', log: () => {} });
    await expect(start).rejects.toMatchObject({ portTaken: true });
  } finally {
    occupier.close();
  }
});

test('a dev server on free ports answers on the port it reports, and gives it back when stopped', async () => {
  const server = await startDevServerOnFreePorts({ cliPath: cliPath(), dataDir: scratch(), namespace: 'default', log: () => {} });
  try {
    expect(server.address).toBe(`127.0.0.1:${server.ports.port}`);
    const connection = await Connection.connect({ address: server.address });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
    } finally {
      await connection.close();
    }
    expect(await isLoopbackPortFree(server.ports.port)).toBe(false);
  } finally {
    await server.stop();
  }
  expect(await isLoopbackPortFree(server.ports.port)).toBe(true);
});
