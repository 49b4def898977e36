// When Herald traces (src/telemetry/settings.ts), and that off means off: no provider, no interceptors,
// no traceparent on outbound requests. On, an outbound request carries its span's traceparent, and
// what a span may say of a receiver's URL keeps its secrets out. Network: loopback only.
import { trace } from '@opentelemetry/api';
import { ConfigError } from '../../src/config';
import { HttpClient } from '../../src/destinations/http-client';
import { DEFAULT_SERVICE_NAME, tracingSettings } from '../../src/telemetry/settings';
import { tracingActivityInterceptors, tracingClientInterceptors } from '../../src/telemetry/temporal';
import { activeTracing, startTracing } from '../../src/telemetry/tracing';
import { urlForSpan } from '../../src/telemetry/client-span';
import { activeTraceParent } from '../../src/telemetry/trace-parent';
import { Receiver } from '../support/receiver';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
const policy = { allowPrivate: true, allowInsecure: true };

describe('tracing settings', () => {
  it('are off without an OTLP endpoint, whatever else is set', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeUndefined();
  });

  it('are on with either endpoint variable, named herald unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(tracingSettings(ENDPOINT)).toEqual({ serviceName: DEFAULT_SERVICE_NAME });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces', OTEL_SERVICE_NAME: 'herald-eu' })).toEqual({ serviceName: 'herald-eu' });
    expect(tracingSettings({ ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })).toBeDefined();
  });

  it('are off when OTEL_TRACES_EXPORTER is none or OTEL_SDK_DISABLED is true', () => {
    expect(tracingSettings({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(tracingSettings({ ...ENDPOINT, OTEL_SDK_DISABLED: 'TRUE' })).toBeUndefined();
    expect(tracingSettings({ ...ENDPOINT, OTEL_SDK_DISABLED: 'false' })).toBeDefined();
  });

  it('refuse an exporter or protocol Herald does not speak, by name', () => {
    expect(() => tracingSettings({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(ConfigError);
    expect(() => tracingSettings({ ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL \("grpc"\)/);
  });
});

describe('what a span may say of a URL', () => {
  it("is the provider's masked URL without its query, or only the origin", () => {
    expect(urlForSpan({ method: 'POST', url: 'https://hooks.slack.com/services/T1/B2/secret', shownUrl: 'https://hooks.slack.com/****cret' })).toBe('https://hooks.slack.com/****cret');
    expect(urlForSpan({ method: 'POST', url: 'https://x.example/a?sig=s3cret', shownUrl: 'https://x.example/a?sig=****cret&api-version=1' })).toBe('https://x.example/a');
    expect(urlForSpan({ method: 'POST', url: 'https://user:pw@x.example/token/s3cret?k=v' })).toBe('https://x.example');
  });
});

const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
});

describe('with OTEL_* unset', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('registers nothing: no tracing, no interceptors, no-op spans, no traceparent kept', () => {
    expect(startTracing()).toBeUndefined();
    expect(activeTracing()).toBeUndefined();
    expect(tracingClientInterceptors()).toBeUndefined();
    expect(tracingActivityInterceptors()).toEqual([]);
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(activeTraceParent()).toBeNull();
  });

  it('sends outbound requests without a traceparent', async () => {
    const http = new HttpClient();
    try {
      const res = await http.send({ url: receiver.url('/off'), method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5000, policy });
      expect(res.status).toBe(200);
    } finally {
      await http.close();
    }
    const [received] = await receiver.waitFor(1, (r) => r.path === '/off');
    expect(received!.headers.traceparent).toBeUndefined();
  });
});

describe('with an OTLP endpoint', () => {
  let collector: Receiver;
  let receiver: Receiver;
  beforeAll(async () => {
    // The loopback receiver stands in for the collector: it answers the exporter's POST /v1/traces.
    [collector, receiver] = await Promise.all([Receiver.start(), Receiver.start()]);
  });
  afterAll(async () => {
    await Promise.all([collector.close(), receiver.close()]);
  });

  it("sends each outbound request with the traceparent of its own span, in the caller's trace", async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url('');
    const tracing = startTracing()!;
    const http = new HttpClient();
    try {
      expect(activeTracing()).toBe(tracing);
      expect(tracingClientInterceptors()?.workflow).toHaveLength(1);
      await trace.getTracer('test').startActiveSpan('caller', async (caller) => {
        expect(activeTraceParent()).toBe(`00-${caller.spanContext().traceId}-${caller.spanContext().spanId}-01`);
        await http.send({ url: receiver.url('/on'), method: 'POST', headers: {}, body: '{}', timeoutMs: 5000, policy });
        const [received] = await receiver.waitFor(1, (r) => r.path === '/on');
        const [version, traceId, spanId, flags] = String(received!.headers.traceparent).split('-');
        expect([version, traceId, flags]).toEqual(['00', caller.spanContext().traceId, '01']);
        // The request's own span, not the caller's.
        expect(spanId).not.toBe(caller.spanContext().spanId);
        caller.end();
      });
    } finally {
      await http.close();
      await tracing.stop();
    }
    expect(activeTracing()).toBeUndefined();
    // Stopping flushed the spans to the collector.
    expect(collector.requests.some((r) => r.method === 'POST' && r.path === '/v1/traces')).toBe(true);
  });

  it('says so when the collector refuses the spans', async () => {
    collector.respond(() => ({ status: 400, body: 'no' }));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url('');
    const warnings: string[] = [];
    const tracing = startTracing((message) => warnings.push(message))!;
    trace.getTracer('test').startSpan('refused').end();
    await tracing.stop();
    expect(warnings.join('\n')).toMatch(/could not be exported: Bad Request/);
  });
});
