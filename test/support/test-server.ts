// Finds the Temporal time-skipping test server (a Java program from Maven Central), cached like the
// Temporal CLI under ~/.cache/herald so fresh clones reuse it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { heraldCacheDir } from '../../src/temporal/dev-server';

export const TEST_SERVER_VERSION = '1.38.0';
const POM = path.join(__dirname, '..', '..', 'tools', 'test-server', 'pom.xml');

export const NO_TEST_SERVER_HELP = `The Temporal time-skipping test server is not available. Do one of these:
  - install a JDK (17+) and Maven so the tests can fetch io.temporal:temporal-test-server:${TEST_SERVER_VERSION}
  - or set TEMPORAL_TEST_SERVER_PATH to an executable that runs "TestServer <port> --enable-time-skipping"
  - or allow downloads so the Temporal SDK can fetch its own test server`;

/** Path of an executable that starts the test server, or undefined to let the SDK download one. */
export function findTestServer(log: (m: string) => void): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  const dir = path.join(heraldCacheDir(), 'test-server', TEST_SERVER_VERSION);
  const lib = path.join(dir, 'lib');
  const launcher = path.join(dir, 'temporal-test-server');
  const hasJars = () => existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('temporal-test-server'));
  if (!hasJars()) {
    const mvn = spawnSync('mvn', ['-v'], { stdio: 'ignore' });
    if (mvn.status !== 0) return undefined;
    log(`Fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven into ${lib}…`);
    const fetch = spawnSync(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (fetch.status !== 0 || !hasJars()) return undefined;
  }
  // `exec` so the SDK's kill reaches the JVM itself; the JIT and GC settings make the JVM start
  // sooner, since the SDK waits only 5 s for the server (several suites start one at once).
  const script = `#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "${lib}/*" io.temporal.testserver.TestServer "$@"\n`;
  if (!existsSync(launcher) || readFileSync(launcher, 'utf8') !== script) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(launcher, script, { mode: 0o755 });
  }
  return launcher;
}

/** The time-skipping environment on the located server, or the SDK's download; a clear error if neither works. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const executable = process.env.TEMPORAL_TEST_SERVER_PATH;
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping(
        executable ? { server: { executable: { type: 'existing-path', path: executable } } } : {},
      );
    } catch (err) {
      // A busy machine can take the JVM past the SDK's fixed 5 s start deadline: a second try finds it warm.
      if (attempt < 3 && /did not start within/.test((err as Error).message)) continue;
      throw new Error(`${NO_TEST_SERVER_HELP}\n(${(err as Error).message})`);
    }
  }
}
