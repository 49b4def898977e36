// One `herald <command>` as an OS process of the compiled CLI, as a deployment runs it (and any Node
// program the same way): started, awaited until it says it is ready, killed or stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { logChildOutput } from '../tools/child-output-log';

export type HeraldCommand = 'api' | 'worker';

export const READY: Record<HeraldCommand, RegExp> = { api: /API listening/, worker: /worker running/ };

/** A Node program in a process of its own (the bench's baseline worker is one too). */
export type NodeProcess = { name: string; env: NodeJS.ProcessEnv; child: ChildProcess; exited: Promise<unknown> };

export type HeraldProcess = NodeProcess & { command: HeraldCommand };

/**
 * Starts `node <args>` and resolves once its stdout matched `ready`; rejects if it exits first. Its
 * output goes to `logFile`, or (none given) stderr to ours and stdout nowhere.
 */
export async function startNodeProcess(opts: { name: string; args: string[]; env: NodeJS.ProcessEnv; ready: RegExp; logFile?: string }): Promise<NodeProcess> {
  const child = spawn(process.execPath, opts.args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (opts.logFile) void logChildOutput(child, opts.logFile);
  else child.stderr!.pipe(process.stderr);
  const exited = once(child, 'exit');
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (opts.ready.test(seen)) resolve();
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    });
    child.once('exit', (code, signal) => reject(new Error(`${opts.name} exited (${code ?? signal}) before it was ready${opts.logFile ? `; see ${opts.logFile}` : ''}`)));
  });
  return { name: opts.name, env: opts.env, child, exited };
}

export async function startHeraldProcess(opts: { cli: string; command: HeraldCommand; name: string; env: NodeJS.ProcessEnv; logFile?: string }): Promise<HeraldProcess> {
  const started = await startNodeProcess({ name: opts.name, args: [opts.cli, opts.command], env: opts.env, ready: READY[opts.command], ...(opts.logFile && { logFile: opts.logFile }) });
  return { ...started, command: opts.command };
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

export async function killProcess(p: NodeProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

export async function stopProcess(p: NodeProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(timer);
}
