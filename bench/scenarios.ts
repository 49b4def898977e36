// Each measurement as a function of the running system: Herald through its HTTP API, and the two
// baselines (a bare undici POST loop, a bare Temporal workflow with one activity per receiver).
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { atConcurrency, atRate } from './load';
import type { BenchReceiver } from './receiver';
import { summarize, type Summary } from './stats';

export type System = {
  apiUrl: string;
  apiKey: string;
  receiver: BenchReceiver;
  /** Herald webhook destination ids, each posting to `/hook<n>` on the receiver. */
  destinations: string[];
  temporal: Client;
  baselineQueue: string;
};

/** The figures, saying on stderr why calls failed when some did. */
function summary(latencies: number[], elapsedMs: number, errors: string[]): Summary {
  if (errors.length > 0) process.stderr.write(`[bench] ${errors.length} calls failed, first: ${errors[0]}\n`);
  return summarize(latencies, elapsedMs, errors.length);
}

let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${sequence++}`;

async function api(system: System, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await request(`${system.apiUrl}${path}`, {
    method: method as 'POST',
    headers: { authorization: `Bearer ${system.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

export async function triggerAlert(system: System, id: string, destinations: string[]): Promise<void> {
  const res = await api(system, 'POST', '/v1/alerts', { id, title: `Bench ${id}`, severity: 'warning', destinations });
  if (res.status !== 202) throw new Error(`POST /v1/alerts answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function resolveAlert(system: System, id: string): Promise<void> {
  const res = await api(system, 'POST', `/v1/alerts/${id}/resolve`, {});
  if (res.status !== 202) throw new Error(`resolve answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function getAlert(system: System, id: string): Promise<void> {
  const res = await api(system, 'GET', `/v1/alerts/${id}`);
  if (res.status !== 200) throw new Error(`GET alert answered ${res.status}`);
}

const heraldKey = (hook: number, id: string, event = 'alert.triggered') => `/hook${hook}|${id}|${event}`;
const baselineUrl = (system: System, hook: number) => `${system.receiver.url}/base${hook}`;

/** Trigger → first webhook received, closed loop at `concurrency`. */
export async function heraldEndToEnd(system: System, count: number, concurrency: number, fanOut: number): Promise<Summary> {
  const targets = system.destinations.slice(0, fanOut);
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const id = uniqueId(`e2e${fanOut}`);
    await triggerAlert(system, id, targets);
    await system.receiver.waitFor([heraldKey(1, id)], 120_000);
  });
  return summary(latencies, elapsedMs, errors);
}

/** The engine limit: workflow start → the bare activity's POST received, same load shape. */
export async function temporalEndToEnd(system: System, count: number, concurrency: number, fanOut: number): Promise<Summary> {
  const urls = Array.from({ length: fanOut }, (_, i) => baselineUrl(system, i + 1));
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const id = uniqueId(`bare${fanOut}`);
    await system.temporal.workflow.start('bareDelivery', { taskQueue: system.baselineQueue, workflowId: id, args: [urls, id] });
    await system.receiver.waitFor([`/base1|${id}|post`], 120_000);
  });
  return summary(latencies, elapsedMs, errors);
}

/** The HTTP limit: the same POST straight from a loop. */
export async function bareHttp(system: System, count: number, concurrency: number): Promise<Summary> {
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const res = await request(`${system.receiver.url}/bare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: uniqueId('http') }),
    });
    await res.body.dump();
  });
  return summary(latencies, elapsedMs, errors);
}

/** POST /v1/alerts answered (202) at a fixed rate, or at saturation when `perSecond` is undefined. */
export async function heraldIngest(system: System, count: number, perSecond: number | undefined, concurrency = 32): Promise<Summary> {
  const call = async () => triggerAlert(system, uniqueId('ingest'), system.destinations.slice(0, 1));
  const { latencies, elapsedMs, errors } = perSecond ? await atRate(count, perSecond, call) : await atConcurrency(count, concurrency, call);
  return summary(latencies, elapsedMs, errors);
}

/** The engine's own accept latency: a bare workflow start at the same rate. */
export async function temporalIngest(system: System, count: number, perSecond: number | undefined, concurrency = 32): Promise<Summary> {
  const url = baselineUrl(system, 1);
  const call = async () => {
    const id = uniqueId('bare_ingest');
    await system.temporal.workflow.start('bareDelivery', { taskQueue: system.baselineQueue, workflowId: id, args: [[url], id] });
  };
  const { latencies, elapsedMs, errors } = perSecond ? await atRate(count, perSecond, call) : await atConcurrency(count, concurrency, call);
  return summary(latencies, elapsedMs, errors);
}

export { heraldKey };
