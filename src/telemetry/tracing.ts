// The process's tracer provider (README "Traces (OpenTelemetry)"): started once by the commands that
// serve (src/cli.ts) when src/telemetry/settings.ts says tracing is on, and flushed when they stop.
// Off, nothing is registered: every span Herald's code asks for is OpenTelemetry's no-op span.
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../version';
import { tracingSettings } from './settings';

export type Tracing = {
  serviceName: string;
  /** Where the worker's workflow spans (built in the sandbox, handed over by a sink) go too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Exports what is buffered and unregisters the provider. */
  stop(): Promise<void>;
};

let active: Tracing | undefined;

/** The tracing this process started, if any: its Temporal clients and worker trace only then. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * Starts tracing when the process's environment asks for it (undefined otherwise). The OTLP exporter
 * reads its endpoint, headers, timeout and compression from that environment itself, which is why
 * there is no other way in. Export problems are written to `warn`, since a collector that refuses
 * spans must not go unnoticed.
 */
export function startTracing(warn: (message: string) => void = () => {}): Tracing | undefined {
  const settings = tracingSettings(process.env);
  if (!settings) return undefined;
  if (active) throw new Error('tracing is already started in this process');
  diag.setLogger(
    { error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  // The SDK and the exporter are loaded only now: a Herald that does not trace never loads them.
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: VERSION }));
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    serviceName: settings.serviceName,
    spanProcessor,
    resource,
    async stop() {
      if (active !== tracing) return;
      active = undefined;
      try {
        await provider.shutdown();
      } catch (err) {
        // A collector that is away when Herald stops costs the last spans, not a clean stop.
        warn(`the last spans could not be exported: ${(err as Error).message}`);
      }
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
  active = tracing;
  return tracing;
}
