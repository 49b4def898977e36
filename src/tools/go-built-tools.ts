// Temporal's own programs (the CLI, the server, its SQL schema tool) and the test tools (Mailpit,
// Jaeger) are Go modules: Herald finds them on PATH or in its cache, or builds them once with the
// machine's Go into that cache, so a fresh clone needs no download site beyond the Go module proxy.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Log = (message: string) => void;

export function heraldCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HERALD_CACHE_DIR) return env.HERALD_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'herald');
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

export type GoBuild = {
  /** What the log calls it, e.g. "the Temporal server v1.32.2". */
  label: string;
  /** `module/path/cmd/x@version` for each program, and the file name it gets in the cache. */
  programs: Array<{ module: string; name: string }>;
  /** GOTOOLCHAIN for modules that need a newer Go than the machine's (the go command fetches it). */
  toolchain?: string;
  /**
   * Build the programs as tools of a scratch module (`go get -tool`, then `go install tool`), for
   * modules whose go.mod has replace directives: `go install module@version` refuses those.
   */
  asTools?: boolean;
};

/**
 * Builds the programs with `go install` into `<cache>/bin` under their cache names. False when Go is
 * missing or the build fails (go's own output, on stderr, says why).
 */
export function goInstall(build: GoBuild, opts: { env?: NodeJS.ProcessEnv; log: Log }): boolean {
  const env = opts.env ?? process.env;
  if (!onPath('go', env)) {
    opts.log(`Cannot build ${build.label}: no \`go\` on PATH.`);
    return false;
  }
  const binDir = path.join(heraldCacheDir(env), 'bin');
  mkdirSync(binDir, { recursive: true });
  // go install names a binary after its package directory (server, sql): build into a scratch
  // GOBIN, then move each into place under its own name, so a half-done build is never found.
  const scratch = mkdtempSync(path.join(binDir, '.build-'));
  const toolchain = build.toolchain && !env.GOTOOLCHAIN ? { GOTOOLCHAIN: build.toolchain } : {};
  opts.log(`Building ${build.label} with Go into ${binDir} (once; several minutes on a cold cache)…`);
  const started = Date.now();
  const go = (args: string[], cwd?: string) => {
    // `-x` is too noisy; go's own "go: downloading …" lines on stderr are the progress.
    const result = spawnSync('go', args, { env: { ...env, ...toolchain, GOBIN: scratch }, stdio: ['ignore', 'inherit', 'inherit'], ...(cwd && { cwd }) });
    if (result.status !== 0) opts.log(`Building ${build.label} failed at \`go ${args.join(' ')}\` (exit ${result.status ?? result.signal}).`);
    return result.status === 0;
  };
  try {
    if (build.asTools) {
      // The scratch module lives in the scratch directory, so it goes with it.
      const module = path.join(scratch, 'module');
      mkdirSync(module);
      const built =
        go(['mod', 'init', 'scratch/herald-tools'], module) &&
        go(['get', '-tool', ...build.programs.map((p) => p.module)], module) &&
        go(['install', 'tool'], module);
      if (!built) return false;
    } else if (!go(['install', ...build.programs.map((p) => p.module)])) {
      return false;
    }
    for (const program of build.programs) {
      const built = path.join(scratch, path.basename(program.module.split('@')[0]!));
      renameSync(built, path.join(binDir, program.name));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  opts.log(`Built ${build.label} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return true;
}
