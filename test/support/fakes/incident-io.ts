// A local incident.io API v2: every request is checked against the official contract and the API
// key; incidents keep a status with a category; a create with a known idempotency key replays the
// first answer; the closed status can only be set on an incident that is not closed; failures
// (401/403/422/429/500) can be scripted.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server';
import { loadContract, type Contract } from './contract';

export const STATUSES = {
  triage: { id: '01STATUSTRIAGE000000000000', name: 'Triage', category: 'triage', rank: 1 },
  investigating: { id: '01STATUSLIVE00000000000000', name: 'Investigating', category: 'live', rank: 2 },
  closed: { id: '01STATUSCLOSED000000000000', name: 'Closed', category: 'closed', rank: 4 },
} as const;

type Status = (typeof STATUSES)[keyof typeof STATUSES];
export type FakeIncident = { id: string; reference: string; name: string; summary?: string; mode: string; visibility: string; severity_id?: string; status: Status; edits: number };
type Scripted = { status: number; retryAfter?: string; body?: unknown };

export class FakeIncidentIo {
  readonly incidents = new Map<string, FakeIncident>();
  readonly creates: Record<string, unknown>[] = [];
  readonly contractViolations: string[] = [];
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly byIdempotencyKey = new Map<string, string>();
  private scripted: Scripted[] = [];
  /** Called when a create request arrived and before it is answered (to kill a worker in between). */
  onCreate?: () => Promise<void>;

  private server!: LoopbackServer;

  private constructor(private readonly contract: Contract, readonly apiKey: string) {}

  static async start(apiKey: string): Promise<FakeIncidentIo> {
    const fake = new FakeIncidentIo(await loadContract('incident-io-v2.openapi.json'), apiKey);
    fake.server = await startLoopbackServer((req, raw, res) => fake.handle(req, raw, res));
    return fake;
  }

  url(): string {
    return this.server.origin;
  }

  failNext(...answers: Scripted[]): void {
    this.scripted.push(...answers);
  }

  /** Changes an incident's status as a responder in the incident.io app would. */
  setStatus(id: string, status: Status): void {
    this.incidents.get(id)!.status = status;
  }

  /**
   * A responder moves the incident to `status` and incident.io's webhook endpoint tells of it: the
   * body as the documented example has it (webhooks/incident-io-status-updated.json, its incident
   * checked against the contract's IncidentV2) and Svix's headers signed under `secret`.
   */
  responderMoves(id: string, status: Status, secret: string): { body: string; headers: Record<string, string> } {
    const incident = this.incidents.get(id)!;
    const previous = incident.status;
    incident.status = status;
    const { _source, ...template } = JSON.parse(readFileSync(path.join(__dirname, 'webhooks', 'incident-io-status-updated.json'), 'utf8'));
    const now = new Date().toISOString();
    const statusView = (s: Status) => ({ ...s, description: s.name, created_at: now, updated_at: now });
    const section = { incident: this.view(incident).incident, new_status: statusView(status), previous_status: statusView(previous) };
    this.contractViolations.push(...this.contract.schemaProblems('IncidentV2', section.incident).map((p) => `webhook incident: ${p}`));
    const body = JSON.stringify({ ...template, [template.event_type]: section });
    const messageId = `msg_${randomUUID()}`;
    const timestamp = new Date();
    const signature = new Webhook(secret).sign(messageId, timestamp, body);
    return { body, headers: { 'content-type': 'application/json', 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature } };
  }

  private view(incident: FakeIncident) {
    const now = new Date().toISOString();
    return {
      incident: {
        id: incident.id,
        reference: incident.reference,
        name: incident.name,
        summary: incident.summary,
        permalink: `https://app.incident.io/herald-test/incidents/${incident.reference.replace('INC-', '')}`,
        mode: incident.mode,
        visibility: incident.visibility,
        incident_status: { ...incident.status, description: incident.status.name, created_at: now, updated_at: now },
        creator: { api_key: { id: 'key', name: 'Herald' } },
        incident_role_assignments: [],
        custom_field_entries: [],
        slack_team_id: 'T0000',
        slack_channel_id: 'C0000',
        created_at: now,
        updated_at: now,
      },
    };
  }

  private async handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    const method = req.method ?? 'GET';
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const body = raw ? JSON.parse(raw) : undefined;
    const problems = this.contract.problems({ method, path, body, headers: req.headers });
    if (problems.length > 0) {
      this.contractViolations.push(...problems);
      return answer(422, { type: 'validation_error', status: 422, errors: problems.map((message) => ({ code: 'invalid', message })) });
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return answer(401, { type: 'authentication_error', status: 401, errors: [{ code: 'unauthorized', message: 'invalid API key' }] });
    }
    const scripted = this.scripted.shift();
    if (scripted) {
      return answer(scripted.status, scripted.body ?? { type: 'error', status: scripted.status, errors: [{ code: 'scripted', message: `scripted ${scripted.status}` }] }, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
    }

    if (method === 'POST' && path === '/v2/incidents') {
      this.creates.push(body);
      await this.onCreate?.();
      const replay = this.byIdempotencyKey.get(body.idempotency_key);
      if (replay) return answer(200, this.view(this.incidents.get(replay)!));
      const number = this.incidents.size + 1;
      const incident: FakeIncident = {
        id: `01INCIDENT${String(number).padStart(16, '0')}`,
        reference: `INC-${number}`,
        name: body.name,
        summary: body.summary,
        mode: body.mode ?? 'standard',
        visibility: body.visibility,
        severity_id: body.severity_id,
        status: STATUSES.triage,
        edits: 0,
      };
      this.incidents.set(incident.id, incident);
      this.byIdempotencyKey.set(body.idempotency_key, incident.id);
      return answer(200, this.view(incident));
    }
    const show = /^\/v2\/incidents\/([^/]+)$/.exec(path);
    if (method === 'GET' && show) {
      const incident = this.incidents.get(decodeURIComponent(show[1]!));
      return incident ? answer(200, this.view(incident)) : answer(404, { type: 'not_found', status: 404, errors: [{ code: 'not_found', message: 'incident not found' }] });
    }
    const edit = /^\/v2\/incidents\/([^/]+)\/actions\/edit$/.exec(path);
    if (method === 'POST' && edit) {
      const incident = this.incidents.get(decodeURIComponent(edit[1]!));
      if (!incident) return answer(404, { type: 'not_found', status: 404, errors: [{ code: 'not_found', message: 'incident not found' }] });
      const statusId = body.incident?.incident_status_id;
      const status = Object.values(STATUSES).find((s) => s.id === statusId);
      if (statusId && !status) return answer(422, { type: 'validation_error', status: 422, errors: [{ code: 'invalid', message: 'incident status not found', source: { field: 'incident_status_id' } }] });
      if (status && incident.status.category === 'closed') {
        return answer(422, { type: 'validation_error', status: 422, errors: [{ code: 'invalid', message: 'incident is already closed', source: { field: 'incident_status_id' } }] });
      }
      if (status) incident.status = status;
      if (typeof body.incident?.summary === 'string') incident.summary = body.incident.summary;
      if (typeof body.incident?.name === 'string') incident.name = body.incident.name;
      incident.edits += 1;
      return answer(200, this.view(incident));
    }
    answer(404, { type: 'not_found', status: 404, errors: [{ code: 'not_found', message: `no route ${method} ${path}` }] });
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
