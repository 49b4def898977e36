// A real Prometheus Alertmanager (Debian's prometheus-alertmanager) on loopback, clustering off.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../src/free-port';

export const ALERTMANAGER = process.env.ALERTMANAGER_PATH ?? 'prometheus-alertmanager';

export class Alertmanager {
  private constructor(private readonly child: ChildProcess, readonly url: string) {}

  static async start(config: string): Promise<Alertmanager> {
    const dir = mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'alertmanager-'));
    writeFileSync(path.join(dir, 'alertmanager.yml'), config);
    const port = await freeLoopbackPort();
    const child = spawn(
      ALERTMANAGER,
      [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (err) => reject(new Error(`cannot run ${ALERTMANAGER} (install Debian's prometheus-alertmanager or set ALERTMANAGER_PATH): ${err.message}`))),
    );
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await Promise.race([fetch(`${url}/-/ready`).then((r) => r.ok, () => false), spawnError]);
      if (ready) return new Alertmanager(child, url);
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Alertmanager did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Posts alerts to Alertmanager's own API, as Prometheus does. */
  async post(alerts: Record<string, unknown>[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!res.ok) throw new Error(`Alertmanager refused the alerts: ${res.status} ${await res.text()}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}
