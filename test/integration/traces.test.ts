// Traces through the real stack into a real OTLP receiver: Herald (API, Temporal dev server, worker)
// exports to Jaeger on loopback (test/support/jaeger.ts), a webhook receiver on loopback gets the
// deliveries, and the traces are read back from Jaeger's query API. One alert is triggered, then
// updated: each event's trace must reach from its request to the outbound HTTP request of its attempt
// with every span's parent there, while the alert is still open.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Jaeger, type JaegerSpan, type JaegerTrace } from '../support/jaeger';
import { Receiver, type Received } from '../support/receiver';
import { workflowSpanSink } from '../../src/telemetry/temporal';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';

const SERVICE = `herald-traces-${randomBytes(4).toString('hex')}`;
/** A secret in the receiver URL's query string: it must reach no span. */
const URL_SECRET = `tok${randomBytes(8).toString('hex')}`;

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const parentOf = (span: JaegerSpan) => span.references.find((r) => r.refType === 'CHILD_OF');
const byName = (trace: JaegerTrace, name: string) => trace.spans.filter((s) => s.operationName === name);
const oneNamed = (trace: JaegerTrace, name: string) => {
  const spans = byName(trace, name);
  if (spans.length === 0) throw new Error(`no span "${name}" in trace ${trace.traceID} yet: ${trace.spans.map((s) => s.operationName).join(', ')}`);
  return spans[0]!;
};
/** W3C traceparent: version-traceid-spanid-flags. */
const traceParentOf = (r: Received) => {
  const [, traceId, spanId] = String(r.headers.traceparent).split('-');
  return { traceId: traceId!, spanId: spanId! };
};

/** The names from `span` up through its parents, each of which must be in the trace; `outside` is where the chain may leave it (the caller's span). */
function chainUp(trace: JaegerTrace, span: JaegerSpan, outside?: string): string[] {
  const names = [span.operationName];
  for (let current = span; ; ) {
    const ref = parentOf(current);
    if (!ref || ref.spanID === outside) return names;
    const parent = trace.spans.find((s) => s.spanID === ref.spanID);
    if (!parent) throw new Error(`the parent ${ref.spanID} of "${current.operationName}" is missing from trace ${trace.traceID}`);
    names.push(parent.operationName);
    current = parent;
  }
}

/** Every span whose parent is not in the trace, apart from those whose parent is named in `outside`. */
function orphans(trace: JaegerTrace, outside: string[] = []): string[] {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  return trace.spans.filter((s) => parentOf(s) && !ids.has(parentOf(s)!.spanID) && !outside.includes(parentOf(s)!.spanID)).map((s) => s.operationName);
}

describe('traces into Jaeger', () => {
  let jaeger: Jaeger;
  let tracing: Tracing;
  let receiver: Receiver;
  let herald: TestHerald;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    jaeger = await Jaeger.start();
    // The standard variables, read when the provider starts (before Herald builds its clients and worker).
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint, OTEL_SERVICE_NAME: SERVICE, OTEL_BSP_SCHEDULE_DELAY: '100' });
    tracing = startTracing()!;
    expect(tracing.serviceName).toBe(SERVICE);
    receiver = await Receiver.start();
    herald = await startHerald();
  }, 120_000);
  afterAll(async () => {
    await herald?.stop();
    await tracing?.stop();
    await receiver?.close();
    await jaeger?.stop();
    process.env = savedEnv;
  });

  it("puts a trigger and an update each in their request's trace, down to the outbound HTTP request, while the alert is open", async () => {
    const destination = await herald.call('POST', '/v1/destinations', { name: 'traced-hook', type: 'webhook', config: { url: receiver.url(`/hook?token=${URL_SECRET}`) }, retry_schedule: [0] });
    expect(destination.status).toBe(201);
    const signingSecret = destination.body.config.signing_secret as string;
    const alertId = `traced_${randomBytes(4).toString('hex')}`;

    const trigger = await herald.call('POST', '/v1/alerts', { id: alertId, title: 'Traced', severity: 'warning', destinations: [destination.body.id] });
    expect(trigger.status).toBe(202);
    const [triggered] = await receiver.waitFor(1);
    expect(triggered!.headers['x-herald-event']).toBe('alert.triggered');

    // The trigger request's trace, found by what its server span says (not by what the receiver got).
    const triggerTrace = await eventually(async () => {
      const traces = await jaeger.traces(SERVICE);
      const found = traces.find((t) => t.spans.some((s) => s.operationName === 'POST /v1/alerts' && tag(s, 'herald.alert.id') === alertId));
      if (!found) throw new Error(`no trace of POST /v1/alerts for ${alertId} among: ${traces.map((t) => t.spans.map((s) => `${s.operationName}${JSON.stringify(s.tags.filter((x) => x.key.startsWith('herald') || x.key.startsWith('http')))}`).join('; ')).join(' | ')}`);
      return found;
    });
    const sent = traceParentOf(triggered!);
    expect(sent.traceId).toBe(triggerTrace.traceID);

    const trace = await eventually(async () => {
      const t = (await jaeger.trace(triggerTrace.traceID))!;
      const http = t.spans.find((s) => s.spanID === sent.spanId);
      if (!http) throw new Error(`the outbound request's span ${sent.spanId} is not in the trace yet`);
      expect(chainUp(t, http)).toEqual(['POST', 'attempt alert.triggered', 'RunActivity:deliver', 'StartActivity:deliver', 'StartWorkflow:alertWorkflowV2', 'POST /v1/alerts']);
      expect(orphans(t)).toEqual([]);
      return t;
    }, 30_000);

    const server = oneNamed(trace, 'POST /v1/alerts');
    expect(parentOf(server)).toBeUndefined();
    expect(tag(server, 'span.kind')).toBe('server');
    expect(tag(server, 'http.route')).toBe('/v1/alerts');
    expect(tag(server, 'http.response.status_code')).toBe(202);
    expect(tag(server, 'herald.workflow.id')).toBe(`alert:${alertId}`);
    expect(tag(oneNamed(trace, 'StartWorkflow:alertWorkflowV2'), 'temporalWorkflowId')).toBe(`alert:${alertId}`);
    expect(byName(trace, 'StartActivity:routeAlert')).toHaveLength(1);
    expect(tag(oneNamed(trace, 'StartActivity:deliver'), 'workflowId')).toBe(`alert:${alertId}`);

    const attempt = oneNamed(trace, 'attempt alert.triggered');
    expect(Object.fromEntries(attempt.tags.filter((t) => t.key.startsWith('herald.')).map((t) => [t.key, t.value]))).toEqual({
      'herald.alert.id': alertId,
      'herald.workflow.id': `alert:${alertId}`,
      'herald.destination.id': destination.body.id,
      'herald.destination.type': 'webhook',
      'herald.attempt': 1,
      'herald.event.type': 'alert.triggered',
      'herald.delivery.id': triggered!.headers['x-herald-delivery'],
      'herald.outcome': 'delivered',
    });
    const http = trace.spans.find((s) => s.spanID === sent.spanId)!;
    expect(tag(http, 'span.kind')).toBe('client');
    expect(tag(http, 'http.request.method')).toBe('POST');
    expect(tag(http, 'http.response.status_code')).toBe(200);
    expect(tag(http, 'url.full')).toBe(receiver.url('/hook'));

    // The update, from a caller that traces: its trace continues the caller's.
    const caller = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const update = await herald.call('POST', `/v1/alerts/${alertId}/events`, { severity: 'critical' }, { traceparent: `00-${caller.traceId}-${caller.spanId}-01` });
    expect(update.status).toBe(202);
    const [updated] = await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.updated');
    const updateSent = traceParentOf(updated!);
    expect(updateSent.traceId).toBe(caller.traceId);

    const updateTrace = await eventually(async () => {
      const t = (await jaeger.trace(caller.traceId))!;
      if (!t) throw new Error('the update trace is not in Jaeger yet');
      const http = t.spans.find((s) => s.spanID === updateSent.spanId);
      if (!http) throw new Error(`the update's outbound span ${updateSent.spanId} is not in the trace yet`);
      expect(chainUp(t, http, caller.spanId)).toEqual(['POST', 'attempt alert.updated', 'POST /v1/alerts/:id/events']);
      oneNamed(t, 'SignalWorkflow:update');
      oneNamed(t, 'HandleSignal:update');
      // Only the server span's parent is outside: the caller's.
      expect(orphans(t, [caller.spanId])).toEqual([]);
      return t;
    }, 30_000);
    const updateServer = oneNamed(updateTrace, 'POST /v1/alerts/:id/events');
    expect(parentOf(updateServer)!.spanID).toBe(caller.spanId);
    expect(tag(updateServer, 'herald.alert.id')).toBe(alertId);
    expect(chainUp(updateTrace, oneNamed(updateTrace, 'HandleSignal:update'), caller.spanId)).toEqual(['HandleSignal:update', 'SignalWorkflow:update', 'POST /v1/alerts/:id/events']);
    // The update's attempt ran in an activity the lane started under the trigger: linked to it.
    const updateAttempt = oneNamed(updateTrace, 'attempt alert.updated');
    expect(tag(updateAttempt, 'herald.event.type')).toBe('alert.updated');
    expect(tag(updateAttempt, 'herald.attempt')).toBe(1);
    const link = updateAttempt.references.find((r) => r.refType === 'FOLLOWS_FROM');
    expect(link?.traceID).toBe(triggerTrace.traceID);
    const linked = (await jaeger.trace(triggerTrace.traceID))!.spans.find((s) => s.spanID === link!.spanID);
    expect(linked?.operationName).toBe('RunActivity:deliver');

    // Nothing secret in any span: not the receiver URL's token, not the signing secret.
    for (const t of [trace, updateTrace]) {
      const everything = JSON.stringify(t.spans.map((s) => s.tags));
      expect(everything).not.toContain(URL_SECRET);
      expect(everything).not.toContain(signingSecret);
    }
  });

  it('the traced alert\'s history, trace headers and all, replays through the workflow bundle', async () => {
    const destination = await herald.call('POST', '/v1/destinations', { name: 'replayed-hook', type: 'webhook', config: { url: receiver.url('/replayed') }, retry_schedule: [0] });
    const alertId = `replayed_${randomBytes(4).toString('hex')}`;
    expect((await herald.call('POST', '/v1/alerts', { id: alertId, title: 'Replayed', severity: 'info', destinations: [destination.body.id] })).status).toBe(202);
    expect((await herald.call('POST', `/v1/alerts/${alertId}/events`, { severity: 'error' })).status).toBe(202);
    await receiver.waitFor(2, (r) => r.path === '/replayed');

    const connection = await Connection.connect({ address: herald.config.temporalAddress! });
    try {
      // Routing and both first attempts ran in workflow tasks: markers, recorded when the task that delivered the update completes.
      const history = await eventually(async () => {
        const h = await new Client({ connection }).workflow.getHandle(`alert:${alertId}`).fetchHistory();
        expect(h.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(3);
        return h;
      });
      const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
      expect(Object.keys(started.header?.fields ?? {})).toContain('_tracer-data');
      // With the span sink a worker has: the last workflow task of an open history runs as new, and makes spans.
      const replay = Worker.runReplayHistory({ workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') }, sinks: workflowSpanSink() }, history, `alert:${alertId}`);
      await expect(replay).resolves.toBeUndefined();
    } finally {
      await connection.close();
    }
  });
});
