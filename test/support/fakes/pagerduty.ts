// A local PagerDuty Events API v2: every request is checked against the official contract, alerts
// are kept by dedup_key like the real service (a trigger for an open key adds to it, acknowledge
// acknowledges an open one, resolve closes it, a trigger after a resolve opens a new one), and
// failures can be scripted.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server';
import { loadContract, type Contract } from './contract';

export type PagerDutyAlert = { dedup_key: string; status: 'triggered' | 'acknowledged' | 'resolved'; opened: number; events: Record<string, unknown>[] };
type Scripted = { status: number; retryAfter?: string };

export class FakePagerDuty {
  readonly alerts = new Map<string, PagerDutyAlert>();
  readonly requests: { body: Record<string, unknown>; status: number }[] = [];
  readonly contractViolations: string[] = [];
  private scripted: Scripted[] = [];

  private server!: LoopbackServer;

  private constructor(private readonly contract: Contract) {}

  static async start(): Promise<FakePagerDuty> {
    const fake = new FakePagerDuty(await loadContract('pagerduty-events-v2.openapi.json'));
    fake.server = await startLoopbackServer((req, raw, res) => fake.handle(req, raw, res));
    return fake;
  }

  /** The base URL to configure (Herald posts to `${base}/v2/enqueue`). */
  url(): string {
    return this.server.origin;
  }

  /** The next requests are answered with these statuses, in order. */
  failNext(...answers: Scripted[]): void {
    this.scripted.push(...answers);
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['JSON parse error'] });
    }
    const path = (req.url ?? '').replace(/^\/v2/, ''); // the contract's server URL ends in /v2
    const problems = this.contract.problems({ method: req.method ?? 'GET', path, body, headers: req.headers });
    if (problems.length > 0) {
      this.contractViolations.push(...problems);
      this.requests.push({ body, status: 400 });
      return answer(400, { status: 'invalid event', message: 'Event object is invalid', errors: problems });
    }
    const scripted = this.scripted.shift();
    if (scripted) {
      this.requests.push({ body, status: scripted.status });
      return answer(scripted.status, { status: 'error', message: `scripted ${scripted.status}` }, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
    }
    if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32) {
      this.requests.push({ body, status: 400 });
      return answer(400, { status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is invalid"] });
    }
    const key = String(body.dedup_key ?? `generated-${this.alerts.size + 1}`);
    const existing = this.alerts.get(key);
    if (body.event_action === 'trigger') {
      if (existing && existing.status !== 'resolved') existing.events.push(body);
      else this.alerts.set(key, { dedup_key: key, status: 'triggered', opened: (existing?.opened ?? 0) + 1, events: [body] });
    } else if (body.event_action === 'acknowledge' && existing && existing.status !== 'resolved') {
      existing.status = 'acknowledged';
      existing.events.push(body);
    } else if (body.event_action === 'resolve' && existing) {
      existing.status = 'resolved';
      existing.events.push(body);
    }
    this.requests.push({ body, status: 202 });
    answer(202, { status: 'success', message: 'Event processed', dedup_key: key });
  }

  /**
   * What PagerDuty's v3 webhook subscription sends when a responder acts on the incident of `dedupKey`
   * in PagerDuty (the fake's alert changes status too): the body as the documented example has it
   * (webhooks/pagerduty-v3-incident.json) and `X-PagerDuty-Signature` under `secret`.
   */
  responderActs(dedupKey: string, eventType: 'incident.acknowledged' | 'incident.unacknowledged' | 'incident.resolved', secret: string, responder = 'Dana Oncall'): { body: string; headers: Record<string, string> } {
    const status = ({ 'incident.acknowledged': 'acknowledged', 'incident.unacknowledged': 'triggered', 'incident.resolved': 'resolved' } as const)[eventType];
    const alert = this.alerts.get(dedupKey);
    if (alert) alert.status = status;
    const { _source, ...template } = JSON.parse(readFileSync(path.join(__dirname, 'webhooks', 'pagerduty-v3-incident.json'), 'utf8'));
    const payload = structuredClone(template);
    Object.assign(payload.event, { id: randomUUID(), event_type: eventType, occurred_at: new Date().toISOString() });
    payload.event.agent.summary = responder;
    Object.assign(payload.event.data, { status, incident_key: dedupKey });
    const body = JSON.stringify(payload);
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    return { body, headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${signature}`, 'x-webhook-id': payload.event.id } };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
