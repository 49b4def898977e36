// Whether Herald traces, read from the standard OpenTelemetry variables (README "Traces
// (OpenTelemetry)"): on only when an OTLP endpoint is named, so a Herald nobody configured pays nothing.
// The exporter itself reads the endpoint, headers and timeout (src/telemetry/tracing.ts).
import { ConfigError } from '../config';

export type TracingSettings = { serviceName: string };

export const DEFAULT_SERVICE_NAME = 'herald';

const isTrue = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === 'true';
const isSet = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** undefined: tracing is off. Throws ConfigError for settings Herald cannot honour (another exporter or protocol). */
export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  if (isTrue(env.OTEL_SDK_DISABLED)) return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  if (exporters.includes('none')) return undefined;
  if (!isSet(env.OTEL_EXPORTER_OTLP_ENDPOINT) && !isSet(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return undefined;
  const problems: string[] = [];
  const others = exporters.filter((e) => e !== 'otlp');
  if (others.length > 0) problems.push(`OTEL_TRACES_EXPORTER (${JSON.stringify(env.OTEL_TRACES_EXPORTER)}): Herald exports traces over OTLP only ("otlp", or "none" to turn tracing off)`);
  // The traces' own variable wins over the one for every signal, as the specification says.
  const protocolVariable = isSet(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[protocolVariable];
  if (isSet(protocol) && protocol!.trim() !== 'http/protobuf') problems.push(`${protocolVariable} (${JSON.stringify(protocol)}): Herald sends OTLP as http/protobuf only`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { serviceName: isSet(env.OTEL_SERVICE_NAME) ? env.OTEL_SERVICE_NAME!.trim() : DEFAULT_SERVICE_NAME };
}
