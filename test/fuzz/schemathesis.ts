// The schemathesis the fuzz suite runs: SCHEMATHESIS_PATH, else a virtual environment in Herald's
// cache with exactly SCHEMATHESIS_VERSION, else one made now (python3 -m venv, pip from PyPI).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { heraldCacheDir } from '../../src/tools/go-built-tools';

export const SCHEMATHESIS_VERSION = '4.32.5';

export const NO_SCHEMATHESIS_HELP = `The fuzz suite needs schemathesis ${SCHEMATHESIS_VERSION}. Do one of these:
  - install Python 3 with its venv module (Debian: apt-get install python3-venv) and let the suite make it
  - or make one yourself: python3 -m venv DIR && DIR/bin/pip install schemathesis==${SCHEMATHESIS_VERSION}
    then run SCHEMATHESIS_PATH=DIR/bin/schemathesis npm run test:fuzz`;

export function findSchemathesis(log: (m: string) => void): string | undefined {
  if (process.env.SCHEMATHESIS_PATH) return process.env.SCHEMATHESIS_PATH;
  const venv = path.join(heraldCacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  // A venv's scripts name its directory, so it is made in place; this file says the install finished.
  const complete = path.join(venv, '.herald-complete');
  if (existsSync(complete)) return bin;
  rmSync(venv, { recursive: true, force: true });
  try {
    log(`Making a virtual environment with schemathesis ${SCHEMATHESIS_VERSION} in ${venv} (about a minute)…`);
    execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    writeFileSync(complete, `${SCHEMATHESIS_VERSION}\n`);
    return bin;
  } catch (err) {
    log(`Could not make it: ${(err as Error).message}`);
    rmSync(venv, { recursive: true, force: true });
    return undefined;
  }
}
