// /v1/destinations: create, read, change and delete destinations. Secrets are write-only: answers
// show them masked, except the 201 of creation and GET /{id}/secret.
import { Router, type Response } from 'express';
import type { TargetPolicy } from '../domain/target-policy';
import type { Registry } from '../destinations/registry';
import {
  destinationCreateSchema,
  destinationInputSchema,
  destinationPatchSchema,
  type Destination,
  type DestinationInput,
} from '../destinations/schema';
import { changesBetween } from '../domain/audit';
import { generateSigningSecret } from '../domain/signing';
import { sendTestEvent } from '../destinations/test-event';
import type { DestinationStore } from '../store/destinations';
import { NameTakenError } from '../store/unique-name';

/** For this long after a rotation both the new and the previous secret sign every delivery. */
const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
import type { Audit } from './audit';
import { HttpError, parseBody, validationError } from './errors';
import { closedCircuit, type Circuit } from '../domain/circuit';
import type { CircuitStore } from '../store/circuits';
import type { AttemptLog } from '../store/attempt-log';
import type { RateLimitStore } from '../store/rate-limits';
import { instantSchema } from '../domain/timestamps';
import { z } from 'zod';
import type { DestinationRecovery } from './destination-recovery';
import { tenantOf } from './request-tenant';
import { destinationAllowed } from '../domain/tenant-limits';

/** POST /v1/destinations/{id}/recover: the window of failed events to send again (README "Bulk recovery"). */
export const recoverInputSchema = z.strictObject({
  since: instantSchema.describe('Events created at or after this instant'),
  until: instantSchema.optional().describe('Events created before this instant (default: now)'),
  by: z.string().max(200).optional().describe('Who asked, for the audit log and each alert\'s history'),
});

/** A circuit as the API shows it: its state and why, not who probes. */
export function circuitView(c: Circuit) {
  return {
    state: c.state,
    since: c.since,
    consecutive_failures: c.consecutive_failures,
    ...(c.last_error !== undefined && { last_error: c.last_error }),
    ...(c.state !== 'closed' && c.next_probe_at !== undefined && { next_probe_at: c.next_probe_at }),
  };
}


export function destinationsRouter(deps: {
  store: DestinationStore;
  circuits: CircuitStore;
  attempts: AttemptLog;
  rateLimits: Pick<RateLimitStore, 'forget'>;
  recovery: DestinationRecovery;
  registry: Registry;
  policy: TargetPolicy;
  audit: Audit;
  /** Held events judged again: at one destination (its circuit was reset), or every one (mute windows changed). */
  releaseHeld: (destinationId?: string) => Promise<void>;
  /** The tenant's max_destinations (null: none); absent, no limit is checked. */
  maxDestinations?: (tenant: string) => Promise<number | null>;
}) {
  const { circuits, attempts, rateLimits, recovery, registry, policy, audit, releaseHeld } = deps;
  /** The request's tenant's destinations only (src/api/request-tenant.ts): another tenant's id is not found. */
  const storeOf = (res: Response) => deps.store.forTenant(tenantOf(res));
  const TIMES = ['created_at', 'updated_at'];
  const target = (id: string) => ({ type: 'destination' as const, id });
  const router = Router();

  const masked = (d: Destination) => ({ ...d, config: registry[d.type].mask(d.config), target: registry[d.type].describe(d.config) });
  /** What GET answers: masked, with the circuit as it stands (README "Circuit breaker"). */
  const shown = (d: Destination, circuit: Circuit) => ({ ...masked(d), circuit: circuitView(circuit) });

  /** Validates a full input (schema and operator policy) and fills generated values. */
  const prepare = (body: unknown, schema: typeof destinationInputSchema | typeof destinationCreateSchema = destinationInputSchema): DestinationInput => {
    const input = parseBody(schema, body) as DestinationInput;
    const provider = registry[input.type];
    const problems = provider.check(input.config, policy);
    if (problems.length > 0) {
      throw validationError(problems.map((p) => ({ path: ['config', ...p.path].join('.'), message: p.message })));
    }
    return { ...input, config: provider.complete(input.config) };
  };

  const find = async (res: Response, id: string) => {
    const destination = await storeOf(res).get(id);
    if (!destination) throw new HttpError(404, 'destination_not_found', `no destination with id ${id}`);
    return destination;
  };

  /** Only a rotation sets the previous signing secret: a client sending one is told so by name. */
  const refuseRotationField = (config: unknown) => {
    if (config && typeof config === 'object' && 'previous_signing_secret' in config) {
      throw validationError([{ path: 'config.previous_signing_secret', message: 'is set by POST /v1/destinations/{id}/secret/rotate' }]);
    }
  };

  /** A new or test destination: what a client may send (its own checks, then the full ones). */
  const prepareNew = (body: unknown): DestinationInput => {
    refuseRotationField((body as { config?: unknown } | undefined)?.config);
    return prepare(body, destinationCreateSchema);
  };

  router.post('/', async (req, res) => {
    const input = prepareNew(req.body);
    // Counted, then created: two concurrent creates may both pass the last free place (README "Serving your customers").
    const max = deps.maxDestinations ? await deps.maxDestinations(tenantOf(res)) : null;
    if (max !== null) {
      const existing = (await storeOf(res).list()).length;
      if (!destinationAllowed(existing, max)) {
        throw new HttpError(422, 'tenant_destination_limit', `the tenant's max_destinations limit (${max}) is reached: delete a destination or raise the limit`, { limit: 'max_destinations', max_destinations: max, existing });
      }
    }
    const created = await nameConflictsAs409(() => storeOf(res).create(input));
    await audit(res, { action: 'destination.created', target: target(created.id), changes: changesBetween(undefined, masked(created), TIMES) });
    res.status(201).json({ ...created, target: registry[created.type].describe(created.config), circuit: circuitView(closedCircuit(new Date(created.created_at))) });
  });

  router.get('/', async (_req, res) => {
    const all = await storeOf(res).list();
    const found = await circuits.getMany(all.map((d) => d.id));
    res.json({ data: all.map((d) => shown(d, found.get(d.id) ?? closedCircuit(new Date(d.created_at)))) });
  });

  router.get('/:id', async (req, res) => {
    const destination = await find(res, req.params.id);
    res.json(shown(destination, await circuits.get(destination.id, new Date(destination.created_at))));
  });

  /** Attempts, success ratio, latency and the last errors over the last hour and day (README "Destination health"). */
  router.get('/:id/health', async (req, res) => {
    const destination = await find(res, req.params.id);
    const [health, circuit] = await Promise.all([attempts.health(destination.id), circuits.get(destination.id, new Date(destination.created_at))]);
    res.json({ ...health, enabled: destination.enabled, needs_attention: destination.needs_attention, circuit: circuitView(circuit) });
  });

  router.post('/:id/recover', async (req, res) => {
    const input = parseBody(recoverInputSchema, req.body);
    const destination = await find(res, req.params.id);
    const until = input.until ?? new Date().toISOString();
    if (Date.parse(input.since) >= Date.parse(until)) throw validationError([{ path: 'since', message: `must be before until (${until})` }]);
    const recovered = await recovery.recover(destination.id, input.since, until, input.by);
    await audit(res, { action: 'destination.recovered', target: target(destination.id), changes: { since: { to: input.since }, until: { to: until }, alerts_queued: { to: recovered.alerts_queued }, ...(input.by && { by: { to: input.by } }) } });
    res.status(202).json(recovered);
  });

  router.get('/:id/secret', async (req, res) => {
    const destination = await find(res, req.params.id);
    const secret = (destination.config as { signing_secret?: string }).signing_secret;
    if (!secret) throw new HttpError(409, 'no_signing_secret', `destination ${destination.id} (${destination.type}) has no signing secret`);
    await audit(res, { action: 'destination.secret_read', target: target(destination.id) });
    res.json({ signing_secret: secret });
  });

  router.patch('/:id', async (req, res) => {
    const patch = parseBody(destinationPatchSchema, req.body);
    refuseRotationField(patch.config);
    const existing = await find(res, req.params.id);
    const { id: _id, created_at: _c, updated_at: _u, needs_attention: _n, ...current } = existing;
    const maskedConfig = registry[existing.type].mask(existing.config);
    const config = { ...existing.config, ...(keepMaskedSecrets(patch.config ?? {}, maskedConfig, existing.config) as object) };
    const { config: _patchConfig, ...fields } = patch;
    const merged = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), config };
    const updated = await nameConflictsAs409(() => storeOf(res).replace(existing.id, prepare(merged)));
    await audit(res, { action: 'destination.updated', target: target(existing.id), changes: changesBetween(masked(existing), masked(updated!), TIMES) });
    // A changed destination may work now: its circuit closes, and the lanes it held go (at once, not at their backstop).
    const circuitWasOpen = await circuits.reset(existing.id);
    if (patch.mute_windows !== undefined) await releaseHeld();
    else if (circuitWasOpen) await releaseHeld(existing.id);
    res.json(shown(updated!, await circuits.get(existing.id)));
  });

  router.post('/:id/secret/rotate', async (req, res) => {
    const destination = await find(res, req.params.id);
    const config = destination.config as { signing_secret?: string };
    if (destination.type !== 'webhook' || !config.signing_secret) {
      throw new HttpError(409, 'no_signing_secret', `destination ${destination.id} has no signing secret to rotate`);
    }
    const signing_secret = generateSigningSecret();
    const expires_at = new Date(Date.now() + ROTATION_GRACE_MS).toISOString();
    const { id, created_at: _c, updated_at: _u, needs_attention: _n, ...input } = destination;
    await storeOf(res).replace(id, {
      ...input,
      config: { ...destination.config, signing_secret, previous_signing_secret: { secret: config.signing_secret, expires_at } },
    } as DestinationInput);
    await audit(res, { action: 'destination.secret_rotated', target: target(id), changes: { previous_secret_expires_at: { to: expires_at } } });
    res.json({ signing_secret, previous_secret_expires_at: expires_at });
  });

  router.post('/test', async (req, res) => {
    const input = prepareNew(req.body);
    res.json(await sendTestEvent(registry[input.type], input, policy));
  });

  router.post('/:id/test', async (req, res) => {
    const destination = await find(res, req.params.id);
    res.json(await sendTestEvent(registry[destination.type], destination, policy));
  });

  router.delete('/:id', async (req, res) => {
    const existing = await find(res, req.params.id);
    if (!(await storeOf(res).delete(existing.id))) {
      throw new HttpError(404, 'destination_not_found', `no destination with id ${req.params.id}`);
    }
    await circuits.forget(existing.id);
    await attempts.forget(existing.id);
    await rateLimits.forget(existing.id);
    await audit(res, { action: 'destination.deleted', target: target(existing.id), changes: changesBetween(masked(existing), undefined, TIMES) });
    res.status(204).end();
  });

  return router;
}

/**
 * A PATCH may send back secrets exactly as GET showed them (masked): those keep the stored value,
 * at any depth (e.g. config.auth.token), so editing one field never overwrites a secret with its mask.
 */
function keepMaskedSecrets(patch: unknown, masked: unknown, stored: unknown): unknown {
  if (typeof patch === 'string') return patch === masked && masked !== stored ? stored : patch;
  if (patch && typeof patch === 'object' && !Array.isArray(patch) && masked && typeof masked === 'object' && stored && typeof stored === 'object') {
    return Object.fromEntries(
      Object.entries(patch).map(([key, value]) => [
        key,
        keepMaskedSecrets(value, (masked as Record<string, unknown>)[key], (stored as Record<string, unknown>)[key]),
      ]),
    );
  }
  return patch;
}

export async function nameConflictsAs409<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof NameTakenError) throw new HttpError(409, 'name_taken', err.message, { field: 'name' });
    throw err;
  }
}
