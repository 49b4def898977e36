// One `herald <command>` as an OS process of the compiled CLI, as a deployment runs it: started,
// awaited until it says it is ready, killed or stopped, started again with the same environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export type HeraldCommand = 'api' | 'worker';

const READY: Record<HeraldCommand, RegExp> = { api: /API listening/, worker: /worker running/ };

export type HeraldProcess = {
  name: string;
  command: HeraldCommand;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  exited: Promise<unknown>;
};

export async function startHeraldProcess(opts: { cli: string; command: HeraldCommand; name: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<HeraldProcess> {
  const child = spawn(process.execPath, [opts.cli, opts.command], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  const exited = once(child, 'exit');
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (seen === undefined) return;
      seen += chunk.toString();
      if (READY[opts.command].test(seen)) resolve();
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    });
    child.once('exit', (code, signal) => reject(new Error(`${opts.name} exited (${code ?? signal}) before it was ready; see ${opts.logFile}`)));
  });
  return { name: opts.name, command: opts.command, env: opts.env, child, exited };
}

/** `herald migrate` or `herald setup`: runs to its end; rejects with its output when it fails. */
export async function runHeraldCommand(cli: string, command: 'migrate' | 'setup', env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [cli, command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`herald ${command} exited with ${code}:\n${output.slice(-3000)}`);
}

export async function killProcess(p: HeraldProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

export async function stopProcess(p: HeraldProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(timer);
}
