// A throwaway PostgreSQL cluster for the store tests, from the machine's PostgreSQL binaries
// (Debian's postgresql-15 here), unless HERALD_TEST_DATABASE_URL points at one already.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestPostgres = { url: string; stop(): void };

function binDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

export const NO_POSTGRES_HELP =
  'PostgreSQL is needed for the store tests: install it (Debian: apt-get install postgresql) or set HERALD_TEST_DATABASE_URL=postgres://…';

export function startPostgres(scratch: string, port: number): TestPostgres {
  const bin = binDir();
  if (!bin) throw new Error(NO_POSTGRES_HELP);
  const dir = path.join(scratch, 'postgres');
  mkdirSync(dir, { recursive: true });
  // initdb refuses to run as root: run the cluster as the postgres user when we are root.
  const asRoot = process.getuid?.() === 0;
  let run = (cmd: string, args: string[]) => execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(scratch, uid, gid);
    chownSync(dir, uid, gid);
    run = (cmd, args) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe', cwd: os.tmpdir() });
  }
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'herald_test']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/herald_test`,
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
  };
}
