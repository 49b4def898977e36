// /v1/heartbeats (README "Heartbeats"): dead man's switches. Create, list, read, delete, and ping,
// with an API key (`POST /v1/heartbeats/{name}/ping`) or with the heartbeat's own token in the URL
// (`/v1/heartbeats/{name}/ping/{token}`, GET or POST, no key), for cron jobs and Alertmanager's
// Watchdog. A ping is kept in the store before the heartbeat's workflow hears of it.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { changesBetween } from '../domain/audit';
import { deadlineAfter, heartbeatInputSchema, type Heartbeat } from '../domain/heartbeats';
import type { HeartbeatStore } from '../store/heartbeats';
import { NameTakenError } from '../store/unique-name';
import type { HeartbeatWorkflows } from '../temporal/heartbeat-workflows';
import type { Audit } from './audit';
import { HttpError, parseBody } from './errors';

/** What can be done to a heartbeat, over the store and Temporal; the routers and tests call these. */
export class HeartbeatActions {
  constructor(
    readonly store: HeartbeatStore,
    private readonly temporal: HeartbeatWorkflows,
  ) {}

  /** A new heartbeat and its workflow; the token is returned once and kept only as a hash. */
  async create(body: unknown, now = new Date()): Promise<{ heartbeat: Heartbeat; token: string }> {
    const input = parseBody(heartbeatInputSchema, body);
    const token = `hb_${randomBytes(24).toString('base64url')}`;
    const deadline = deadlineAfter(now.toISOString(), input);
    let heartbeat: Heartbeat;
    try {
      heartbeat = await this.store.create(input, token, deadline, now);
    } catch (err) {
      if (err instanceof NameTakenError) throw new HttpError(409, 'name_taken', err.message);
      throw err;
    }
    try {
      await this.temporal.start(input.name, deadline);
    } catch (err) {
      await this.store.delete(input.name); // not created (503): a retry creates it afresh
      throw err;
    }
    return { heartbeat, token };
  }

  async get(name: string): Promise<Heartbeat> {
    const heartbeat = await this.store.get(name);
    if (!heartbeat) throw new HttpError(404, 'heartbeat_not_found', `no heartbeat named ${name}`);
    return heartbeat;
  }

  /** A ping at `at`: kept, then told to the workflow (started again if it ended). */
  async ping(name: string, at = new Date()): Promise<Heartbeat> {
    const heartbeat = await this.get(name);
    const ping = { at: at.toISOString(), deadline_at: deadlineAfter(at.toISOString(), heartbeat) };
    await this.store.recordPing(name, ping.at, ping.deadline_at);
    try {
      await this.temporal.ping(name, ping);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await this.temporal.start(name, ping.deadline_at);
    }
    return (await this.store.get(name)) ?? heartbeat;
  }

  async delete(name: string): Promise<Heartbeat> {
    const heartbeat = await this.get(name);
    await this.store.delete(name);
    await this.temporal.deleted(name);
    return heartbeat;
  }
}

const pingAnswer = (h: Heartbeat) => ({ name: h.name, status: h.status, deadline_at: h.deadline_at, accepted: true });

export function heartbeatsRouter({ actions, audit, publicUrl }: { actions: HeartbeatActions; audit: Audit; publicUrl: string }) {
  const router = Router();
  const pingUrl = (name: string) => `${publicUrl}/v1/heartbeats/${encodeURIComponent(name)}/ping`;
  const view = (h: Heartbeat) => ({ ...h, ping_url: pingUrl(h.name) });

  router.post('/', async (req, res) => {
    const { heartbeat, token } = await actions.create(req.body);
    await audit(res, { action: 'heartbeat.created', target: { type: 'heartbeat', id: heartbeat.name }, changes: changesBetween(undefined, heartbeat, ['created_at', 'deadline_at']) });
    // The token only now: it pings without an API key, so it is a secret kept as a hash.
    res.status(201).json({ ...view(heartbeat), token, ping_url_with_token: `${pingUrl(heartbeat.name)}/${token}` });
  });
  router.get('/', async (_req, res) => {
    res.json({ data: (await actions.store.list()).map(view) });
  });
  router.get('/:name', async (req, res) => {
    res.json(view(await actions.get(req.params.name)));
  });
  router.delete('/:name', async (req, res) => {
    const deleted = await actions.delete(req.params.name);
    await audit(res, { action: 'heartbeat.deleted', target: { type: 'heartbeat', id: deleted.name }, changes: changesBetween(deleted, undefined, ['created_at', 'deadline_at']) });
    res.status(204).end();
  });
  router.post('/:name/ping', async (req, res) => {
    res.status(202).json(pingAnswer(await actions.ping(req.params.name)));
  });
  return router;
}

/** The token routes, mounted before the API key check: the token is the heartbeat's own key. */
export function heartbeatTokenRouter(actions: HeartbeatActions) {
  const router = Router();
  const ping = async (req: Request<{ name: string; token: string }>, res: Response) => {
    // One answer for an unknown name and a wrong token: neither says which heartbeats exist.
    if (!(await actions.store.tokenMatches(req.params.name, req.params.token))) throw new HttpError(404, 'heartbeat_not_found', 'no heartbeat with this name and token');
    res.status(202).json(pingAnswer(await actions.ping(req.params.name)));
  };
  // GET too: a cron job's `curl URL` pings, and a ping changes nothing a link scanner could hurt.
  router.get('/:name/ping/:token', ping);
  router.post('/:name/ping/:token', ping);
  return router;
}
