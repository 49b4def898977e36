// A PostgreSQL cluster of its own from the machine's PostgreSQL binaries (Debian's postgresql-15
// here): the store tests' throwaway database and the cluster topology's shared one.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NO_POSTGRES_HELP =
  'PostgreSQL 12 or newer is needed: install it (Debian: apt-get install postgresql), set PG_BIN to its bin directory, or (store tests) HERALD_TEST_DATABASE_URL=postgres://…';

export type LocalPostgres = {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> (trust authentication, loopback only). */
  url(database: string): string;
  createDatabase(name: string): void;
  /** The server's main process while it runs (its connections are its children). */
  pid(): number | undefined;
  /** A fast shutdown: clients are cut off, data is flushed. */
  stop(): void;
  /** Starts it again on the same port and data after stop(). */
  start(): void;
};

function binDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

export type PostgresOptions = {
  /** Its data, socket and log go under here. */
  dir: string;
  port: number;
  /** fsync off: for throwaway test data, where a crash of the machine loses nothing that matters. */
  throwaway?: boolean;
  maxConnections?: number;
};

export function startLocalPostgres(opts: PostgresOptions): LocalPostgres {
  const bin = binDir();
  if (!bin) throw new Error(NO_POSTGRES_HELP);
  const dir = opts.dir;
  mkdirSync(dir, { recursive: true });
  // initdb refuses to run as root: run the cluster as the postgres user when we are root.
  let run = (cmd: string, args: string[]) => execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    // The postgres user must be able to reach it: let others traverse (not list) each parent.
    for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
      const mode = statSync(parent).mode;
      if ((mode & 0o001) === 0) chmodSync(parent, (mode & 0o7777) | 0o001);
    }
    run = (cmd, args) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe', cwd: os.tmpdir() });
  }
  const data = path.join(dir, 'data');
  const settings = [
    `-p ${opts.port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    `-c max_connections=${opts.maxConnections ?? 100}`,
    ...(opts.throwaway ? ['-c fsync=off'] : []),
  ].join(' ');
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', settings, 'start']);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', ...(opts.throwaway ? ['--no-sync'] : [])]);
  start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${opts.port}/${database}`;
  return {
    port: opts.port,
    url,
    createDatabase: (name) => void run('createdb', ['-h', '127.0.0.1', '-p', String(opts.port), '-U', 'postgres', name]),
    pid() {
      try {
        return Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return undefined;
      }
    },
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    start: () => void start(),
  };
}
