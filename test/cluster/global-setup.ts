// Once per `npm run test:cluster`: the Temporal server and its SQL tool found or built (a cold
// build takes minutes, longer than any test's hook may wait), and Herald's CLI compiled once for
// every test file's topology.
import { findTemporalServer, NO_TEMPORAL_SERVER_HELP } from '../../src/cluster/temporal-server-binaries';
import { buildCli } from '../support/cli-process';

export default async function globalSetup(): Promise<void> {
  const binaries = findTemporalServer({ log: (m) => process.stderr.write(`[setup] ${m}\n`) });
  if (!binaries) throw new Error(NO_TEMPORAL_SERVER_HELP);
  process.env.TEMPORAL_SERVER_PATH = binaries.server;
  process.env.TEMPORAL_SQL_TOOL_PATH = binaries.sqlTool;
  process.env.HERALD_CLUSTER_CLI = buildCli('cluster');
}
