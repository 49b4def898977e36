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
import { tenantOf } from './request-tenant';
import { DEFAULT_TENANT, TENANT_ID_PATTERN } from '../domain/tenants';

/**
 * What can be done to a heartbeat, over the store and Temporal; the routers, the tenant purge and
 * tests call these. Names are the tenant's (README "Serving your customers"); the store keeps each
 * under its key, which the heartbeat's workflow is named by too.
 */
export class HeartbeatActions {
  constructor(
    readonly store: HeartbeatStore,
    private readonly temporal: HeartbeatWorkflows,
  ) {}

  /** A new heartbeat and its workflow; the token is returned once and kept only as a hash. */
  async create(body: unknown, now = new Date(), tenant = DEFAULT_TENANT): Promise<{ heartbeat: Heartbeat; token: string }> {
    const input = parseBody(heartbeatInputSchema, body);
    const store = this.store.forTenant(tenant);
    const token = `hb_${randomBytes(24).toString('base64url')}`;
    const deadline = deadlineAfter(now.toISOString(), input);
    let heartbeat: Heartbeat;
    try {
      heartbeat = await store.create(input, token, deadline, now);
    } catch (err) {
      if (err instanceof NameTakenError) throw new HttpError(409, 'name_taken', err.message);
      throw err;
    }
    try {
      await this.temporal.start(store.keyOf(input.name), deadline);
    } catch (err) {
      await store.delete(input.name); // not created (503): a retry creates it afresh
      throw err;
    }
    return { heartbeat, token };
  }

  async get(name: string, tenant = DEFAULT_TENANT): Promise<Heartbeat> {
    const heartbeat = await this.store.forTenant(tenant).get(name);
    if (!heartbeat) throw new HttpError(404, 'heartbeat_not_found', `no heartbeat named ${name}`);
    return heartbeat;
  }

  async list(tenant = DEFAULT_TENANT): Promise<Heartbeat[]> {
    return this.store.forTenant(tenant).list();
  }

  /** Whether `token` pings the tenant's heartbeat `name`. */
  async tokenMatches(name: string, token: string, tenant = DEFAULT_TENANT): Promise<boolean> {
    return this.store.forTenant(tenant).tokenMatches(name, token);
  }

  /** A ping at `at`: kept, then told to the workflow (started again if it ended). */
  async ping(name: string, at = new Date(), tenant = DEFAULT_TENANT): Promise<Heartbeat> {
    const store = this.store.forTenant(tenant);
    const heartbeat = await this.get(name, tenant);
    const ping = { at: at.toISOString(), deadline_at: deadlineAfter(at.toISOString(), heartbeat) };
    await store.recordPing(name, ping.at, ping.deadline_at);
    try {
      await this.temporal.ping(store.keyOf(name), ping);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await this.temporal.start(store.keyOf(name), ping.deadline_at);
    }
    return (await store.get(name)) ?? heartbeat;
  }

  async delete(name: string, tenant = DEFAULT_TENANT): Promise<Heartbeat> {
    const store = this.store.forTenant(tenant);
    const heartbeat = await this.get(name, tenant);
    await store.delete(name);
    await this.temporal.deleted(store.keyOf(name));
    return heartbeat;
  }
}

const pingAnswer = (h: Heartbeat) => ({ name: h.name, status: h.status, deadline_at: h.deadline_at, accepted: true });

export function heartbeatsRouter({ actions, audit, publicUrl }: { actions: HeartbeatActions; audit: Audit; publicUrl: string }) {
  const router = Router();
  // Another tenant's heartbeats are pinged under its path: a name is its tenant's only.
  const pingUrl = (tenant: string, name: string) => `${publicUrl}/v1${tenant === DEFAULT_TENANT ? '' : `/tenants/${tenant}`}/heartbeats/${encodeURIComponent(name)}/ping`;
  const viewIn = (tenant: string) => (h: Heartbeat) => ({ ...h, ping_url: pingUrl(tenant, h.name) });

  router.post('/', async (req, res) => {
    const tenant = tenantOf(res);
    const { heartbeat, token } = await actions.create(req.body, new Date(), tenant);
    await audit(res, { action: 'heartbeat.created', target: { type: 'heartbeat', id: heartbeat.name }, changes: changesBetween(undefined, heartbeat, ['created_at', 'deadline_at']) });
    // The token only now: it pings without an API key, so it is a secret kept as a hash.
    res.status(201).json({ ...viewIn(tenant)(heartbeat), token, ping_url_with_token: `${pingUrl(tenant, heartbeat.name)}/${token}` });
  });
  router.get('/', async (_req, res) => {
    res.json({ data: (await actions.list(tenantOf(res))).map(viewIn(tenantOf(res))) });
  });
  router.get('/:name', async (req, res) => {
    res.json(viewIn(tenantOf(res))(await actions.get(req.params.name, tenantOf(res))));
  });
  router.delete('/:name', async (req, res) => {
    const deleted = await actions.delete(req.params.name, tenantOf(res));
    await audit(res, { action: 'heartbeat.deleted', target: { type: 'heartbeat', id: deleted.name }, changes: changesBetween(deleted, undefined, ['created_at', 'deadline_at']) });
    res.status(204).end();
  });
  router.post('/:name/ping', async (req, res) => {
    res.status(202).json(pingAnswer(await actions.ping(req.params.name, new Date(), tenantOf(res))));
  });
  return router;
}

/**
 * The token routes, mounted before the API key check: the token is the heartbeat's own key. Mounted
 * at /v1/heartbeats (the default tenant's) and /v1/tenants/:tenant/heartbeats (another tenant's).
 */
export function heartbeatTokenRouter(actions: HeartbeatActions) {
  const router = Router({ mergeParams: true });
  const ping = async (req: Request<{ name: string; token: string; tenant?: string }>, res: Response) => {
    const tenant = req.params.tenant ?? DEFAULT_TENANT;
    // One answer for an unknown tenant or name and a wrong token: none says which heartbeats exist.
    if (!TENANT_ID_PATTERN.test(tenant) || !(await actions.tokenMatches(req.params.name, req.params.token, tenant))) throw new HttpError(404, 'heartbeat_not_found', 'no heartbeat with this name and token');
    res.status(202).json(pingAnswer(await actions.ping(req.params.name, new Date(), tenant)));
  };
  // GET too: a cron job's `curl URL` pings, and a ping changes nothing a link scanner could hurt.
  router.get('/:name/ping/:token', ping);
  router.post('/:name/ping/:token', ping);
  return router;
}
