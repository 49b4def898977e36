// Herald's workflow interceptors for tracing (src/telemetry/workflow/), outside the sandbox with Node's
// AsyncLocalStorage and an in-memory exporter. What replay depends on: untraced, every call goes on
// unchanged; traced, each interceptor hands back the very promise `next` gave (no added await), and
// only headers change.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInput, SignalInput, WorkflowExecuteInput } from '@temporalio/workflow';
import { TracingInbound, TracingOutbound } from '../../src/telemetry/workflow/interceptors';
import { StreamIdGenerator } from '../../src/telemetry/workflow/span-ids';
import { TRACE_HEADER as SDK_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { TRACE_HEADER, WorkflowTracing } from '../../src/telemetry/workflow/workflow-tracing';

const exported = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
const caller = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: 1 };

function setup() {
  exported.reset();
  const tracing = new WorkflowTracing(new AsyncLocalStorage<Context>(), () => provider.getTracer('test'));
  return { tracing, inbound: new TracingInbound(tracing), outbound: new TracingOutbound(tracing) };
}
const tracedHeaders = (tracing: WorkflowTracing) => tracing.headersWith({}, trace.setSpanContext(ROOT_CONTEXT, caller));
const traceParentIn = (headers: ActivityInput['headers']) => defaultPayloadConverter.fromPayload<Record<string, string>>(headers['_tracer-data']!).traceparent;
const activity = (headers = {}): ActivityInput => ({ activityType: 'deliver', args: [], options: { startToCloseTimeout: '1m' }, headers, seq: 1 });
const settled = () => new Promise((resolve) => setImmediate(resolve));

test("the trace header is the SDK's, so its client and activity interceptors continue the same trace", () => {
  expect(TRACE_HEADER).toBe(SDK_TRACE_HEADER);
});

describe('untraced (no trace header came in)', () => {
  it('passes every call on as it is, with no header and no span', async () => {
    const { inbound, outbound } = setup();
    const input: WorkflowExecuteInput = { args: [], headers: {} };
    const result = Promise.resolve('done');
    const next = jest.fn(() => result);
    expect(inbound.execute(input, next)).toBe(result);
    expect(next).toHaveBeenCalledWith(input);

    const scheduled = Promise.resolve('delivered');
    const schedule = jest.fn((_: ActivityInput) => scheduled);
    const request = activity();
    expect(outbound.scheduleActivity(request, schedule)).toBe(scheduled);
    expect(schedule.mock.calls[0]![0]).toBe(request);

    const signal: SignalInput = { signalName: 'update', args: [{ sequence: 1 }], headers: {} };
    const handled = Promise.resolve();
    expect(inbound.handleSignal(signal, () => handled)).toBe(handled);
    await settled();
    expect(exported.getFinishedSpans()).toEqual([]);
  });
});

describe("traced (the caller's context came in a header)", () => {
  it("makes the caller's context active in the run, so an activity's span is the caller's child and travels in its header", async () => {
    const { tracing, inbound, outbound } = setup();
    let scheduled!: Promise<unknown>;
    let handedBack!: Promise<unknown>;
    let sentHeaders!: ActivityInput['headers'];
    await inbound.execute({ args: [], headers: tracedHeaders(tracing) }, async () => {
      expect(trace.getSpanContext(tracing.active()!)).toMatchObject({ traceId: caller.traceId, spanId: caller.spanId });
      scheduled = Promise.resolve('delivered');
      handedBack = outbound.scheduleActivity(activity(), (input) => {
        sentHeaders = input.headers;
        return scheduled;
      });
      return undefined;
    });
    // The same promise: the workflow's code resumes where it would without tracing.
    expect(handedBack).toBe(scheduled);
    await handedBack;
    await settled();
    const [span] = exported.getFinishedSpans();
    expect(span).toMatchObject({ name: 'StartActivity:deliver', parentSpanId: caller.spanId, status: { code: SpanStatusCode.OK } });
    expect(span!.spanContext().traceId).toBe(caller.traceId);
    expect(traceParentIn(sentHeaders)).toBe(`00-${caller.traceId}-${span!.spanContext().spanId}-01`);
  });

  it('ends the span with an error when the activity fails, and hands back the failing promise itself', async () => {
    const { tracing, inbound, outbound } = setup();
    const failing = Promise.reject(new Error('activity failed'));
    failing.catch(() => {});
    let handedBack!: Promise<unknown>;
    await inbound.execute({ args: [], headers: tracedHeaders(tracing) }, async () => {
      handedBack = outbound.scheduleActivity(activity(), () => failing);
    });
    expect(handedBack).toBe(failing);
    await settled();
    expect(exported.getFinishedSpans()[0]).toMatchObject({ name: 'StartActivity:deliver', status: { code: SpanStatusCode.ERROR, message: 'activity failed' } });
  });

  it("handles a signal in a span of the signaller's trace, active in the handler", async () => {
    const { tracing, inbound } = setup();
    const handled = Promise.resolve();
    let inHandler: Context | undefined;
    const result = inbound.handleSignal({ signalName: 'update', args: [{ sequence: 2 }], headers: tracedHeaders(tracing) }, () => {
      inHandler = tracing.active();
      return handled;
    });
    expect(result).toBe(handled);
    await settled();
    const [span] = exported.getFinishedSpans();
    expect(span).toMatchObject({ name: 'HandleSignal:update', parentSpanId: caller.spanId });
    expect(trace.getSpanContext(inHandler!)!.spanId).toBe(span!.spanContext().spanId);
  });
});

test('a run continued as new starts untraced: the interceptor leaves continue-as-new alone', () => {
  expect('continueAsNew' in setup().outbound).toBe(false);
});

describe('span ids in workflow code', () => {
  it("come from the stream they are given, never all zeros", () => {
    const zeros = { fill: (b: Uint8Array) => b, random: () => 0, uuid4: () => '', with: <T>(fn: () => T) => fn() };
    const ids = new StreamIdGenerator(zeros);
    expect(ids.generateSpanId()).toBe('0000000000000001');
    expect(ids.generateTraceId()).toBe('00000000000000000000000000000001');
    const counting = { ...zeros, fill: (b: Uint8Array) => b.map((_, i) => i + 1) };
    expect(new StreamIdGenerator(counting).generateSpanId()).toBe('0102030405060708');
  });
});
