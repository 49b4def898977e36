// A real OTLP receiver on loopback for the trace tests: Jaeger (its all-in-one backend, in-memory
// storage), found on JAEGER_PATH, PATH or in Herald's cache, or built once with Go into that cache like
// Mailpit (test/support/mailpit.ts). Each test starts its own on free loopback ports and reads what it
// received back through Jaeger's query API.
//
// Version: v1.75.0. The issue asked for v1.76; this machine's Go module proxy serves v1.76.0 but it
// is not an approved release there, and v1.75.0 is. Its go.mod has replace directives, so it is built
// as a tool of a scratch module (src/tools/go-built-tools.ts `asTools`), not with `go install module@version`.
// The module's cmd/jaeger is Jaeger's v2 backend (an OpenTelemetry Collector distribution): it takes
// a collector configuration file, not the v1 all-in-one's flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../src/free-port';
import { goInstall, heraldCacheDir, isExecutable, onPath, type Log } from '../../src/tools/go-built-tools';

export const JAEGER_VERSION = 'v1.75.0';
const JAEGER_MODULE = `github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_VERSION}`;
const CACHED_NAME = `jaeger-${JAEGER_VERSION}`;

/** The Jaeger binary, built into the cache when none is found and Go is there; undefined otherwise. */
export function findJaeger(log: Log, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.JAEGER_PATH) {
    if (!isExecutable(env.JAEGER_PATH)) throw new Error(`JAEGER_PATH=${env.JAEGER_PATH} is not an executable file`);
    return env.JAEGER_PATH;
  }
  const cached = path.join(heraldCacheDir(env), 'bin', CACHED_NAME);
  if (isExecutable(cached)) return cached;
  const found = onPath('jaeger', env);
  if (found) return found;
  const built = goInstall({ label: `Jaeger ${JAEGER_VERSION}`, programs: [{ module: JAEGER_MODULE, name: CACHED_NAME }], asTools: true }, { env, log });
  return built && isExecutable(cached) ? cached : undefined;
}

export const NO_JAEGER_HELP = `The trace tests need Jaeger (a real OTLP receiver). Install Go so the tests can build it
(as a tool of a scratch module: go get -tool ${JAEGER_MODULE}; go install tool), or set JAEGER_PATH to a jaeger binary.`;

/** A span as Jaeger's query API answers it. */
export type JaegerSpan = {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: { key: string; type: string; value: unknown }[];
  processID: string;
};
export type JaegerTrace = { traceID: string; spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> };

/** The collector configuration: OTLP over HTTP in, memory storage, the query API out; everything on loopback, nothing else. */
function configYaml(ports: { otlpHttp: number; queryHttp: number; queryGrpc: number }): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memory_store:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: memory_store
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${ports.queryHttp}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpHttp}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_store
`;
}

export class Jaeger {
  private constructor(
    private readonly child: ChildProcess,
    /** Where OTLP over HTTP goes: OTEL_EXPORTER_OTLP_ENDPOINT. */
    readonly otlpEndpoint: string,
    readonly queryApi: string,
  ) {}

  static async start(): Promise<Jaeger> {
    const binary = process.env.JAEGER_PATH;
    if (!binary) throw new Error(NO_JAEGER_HELP);
    const dir = mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'jaeger-'));
    const ports = { otlpHttp: await freeLoopbackPort(), queryHttp: await freeLoopbackPort(), queryGrpc: await freeLoopbackPort() };
    const config = path.join(dir, 'config.yaml');
    writeFileSync(config, configYaml(ports));
    const child = spawn(binary, ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const queryApi = `http://127.0.0.1:${ports.queryHttp}`;
    const jaeger = new Jaeger(child, `http://127.0.0.1:${ports.otlpHttp}`, queryApi);
    const deadline = Date.now() + 30_000;
    for (;;) {
      // The query API answers once the extensions run; the receiver starts with the pipeline, after them.
      const ready = await fetch(`${queryApi}/api/services`).then((r) => r.ok, () => false);
      const receiving = ready && (await fetch(`${jaeger.otlpEndpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.ok, () => false));
      if (receiving) return jaeger;
      if (child.exitCode !== null || Date.now() > deadline) {
        await jaeger.stop();
        throw new Error(`Jaeger did not start: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Traces of a service, newest first (Jaeger's limit of 20 by default: `limit` raises it). */
  async traces(service: string, limit = 100): Promise<JaegerTrace[]> {
    return (await this.get(`/api/traces?service=${encodeURIComponent(service)}&limit=${limit}&lookback=1h`)) as JaegerTrace[];
  }

  /** One trace whole; undefined while Jaeger has none of its spans. */
  async trace(traceId: string): Promise<JaegerTrace | undefined> {
    const res = await fetch(`${this.queryApi}/api/traces/${traceId}`);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`Jaeger /api/traces/${traceId}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: JaegerTrace[] }).data[0];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }

  private async get(urlPath: string): Promise<unknown> {
    const res = await fetch(`${this.queryApi}${urlPath}`);
    if (!res.ok) throw new Error(`Jaeger ${urlPath}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: unknown }).data;
  }
}
