// The real Temporal server for the cluster topology: `temporal-server` (cmd/server) and
// `temporal-sql-tool` (cmd/tools/sql, which also carries the versioned SQL schemas), one version for
// both, found or built like the CLI (src/tools/go-built-tools.ts). docker-compose.yml names the
// images of this same version.
import path from 'node:path';
import { goInstall, heraldCacheDir, isExecutable, type Log } from '../tools/go-built-tools';

/**
 * The newest server release at the time of writing. Since v1.30.9 its go.mod asks for Go 1.26.10,
 * newer than Debian's Go here (1.26.8), so the build runs on the Go toolchain below, which the go
 * command fetches from the module proxy like any module.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const TEMPORAL_SERVER_TOOLCHAIN = 'go1.27.3';

const MODULE = 'go.temporal.io/server';

export type TemporalServerBinaries = { server: string; sqlTool: string };

export const NO_TEMPORAL_SERVER_HELP = `The cluster topology needs the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool. Do one of these:
  - install Go so Herald can build them (about 7 minutes cold; cached in ${path.join(heraldCacheDir(), 'bin')}):
      GOTOOLCHAIN=${TEMPORAL_SERVER_TOOLCHAIN} go install ${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION} ${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}
  - or point at binaries of that version: TEMPORAL_SERVER_PATH=/path/to/temporal-server TEMPORAL_SQL_TOOL_PATH=/path/to/temporal-sql-tool`;

/**
 * TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, else Herald's cache, else a build into it.
 * Undefined when none of these works (NO_TEMPORAL_SERVER_HELP says what to do).
 */
export function findTemporalServer(opts: { env?: NodeJS.ProcessEnv; log: Log }): TemporalServerBinaries | undefined {
  const env = opts.env ?? process.env;
  if (env.TEMPORAL_SERVER_PATH || env.TEMPORAL_SQL_TOOL_PATH) {
    const given = { server: env.TEMPORAL_SERVER_PATH ?? '', sqlTool: env.TEMPORAL_SQL_TOOL_PATH ?? '' };
    for (const [name, file] of [['TEMPORAL_SERVER_PATH', given.server], ['TEMPORAL_SQL_TOOL_PATH', given.sqlTool]] as const) {
      if (!isExecutable(file)) throw new Error(`${name}=${file} is not an executable file (set both TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH)`);
    }
    return given;
  }
  const binDir = path.join(heraldCacheDir(env), 'bin');
  const cached = { server: path.join(binDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`), sqlTool: path.join(binDir, `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`) };
  if (isExecutable(cached.server) && isExecutable(cached.sqlTool)) return cached;
  const built = goInstall(
    {
      label: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
      programs: [
        { module: `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, name: path.basename(cached.server) },
        { module: `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`, name: path.basename(cached.sqlTool) },
      ],
      toolchain: TEMPORAL_SERVER_TOOLCHAIN,
    },
    { env, log: opts.log },
  );
  return built && isExecutable(cached.server) && isExecutable(cached.sqlTool) ? cached : undefined;
}
