// /v1/destinations: create, read, change and delete destinations. Secrets are write-only: answers
// show them masked, except the 201 of creation and GET /{id}/secret.
import { Router } from 'express';
import type { TargetPolicy } from '../domain/target-policy';
import type { Registry } from '../destinations/registry';
import {
  destinationInputSchema,
  destinationPatchSchema,
  type Destination,
  type DestinationInput,
} from '../destinations/schema';
import { NameTakenError, type DestinationStore } from '../store/destinations';
import { HttpError, parseBody, validationError } from './errors';

export function destinationsRouter(deps: { store: DestinationStore; registry: Registry; policy: TargetPolicy }) {
  const { store, registry, policy } = deps;
  const router = Router();

  const masked = (d: Destination) => ({ ...d, config: registry[d.type].mask(d.config), target: registry[d.type].describe(d.config) });

  /** Validates a full input (schema and operator policy) and fills generated values. */
  const prepare = (body: unknown): DestinationInput => {
    const input = parseBody(destinationInputSchema, body);
    const provider = registry[input.type];
    const problems = provider.check(input.config, policy);
    if (problems.length > 0) {
      throw validationError(problems.map((p) => ({ path: ['config', ...p.path].join('.'), message: p.message })));
    }
    return { ...input, config: provider.complete(input.config) };
  };

  const find = async (id: string) => {
    const destination = await store.get(id);
    if (!destination) throw new HttpError(404, 'destination_not_found', `no destination with id ${id}`);
    return destination;
  };

  router.post('/', async (req, res) => {
    const created = await nameConflictsAs409(() => store.create(prepare(req.body)));
    res.status(201).json({ ...created, target: registry[created.type].describe(created.config) });
  });

  router.get('/', async (_req, res) => {
    res.json({ data: (await store.list()).map(masked) });
  });

  router.get('/:id', async (req, res) => {
    res.json(masked(await find(req.params.id)));
  });

  router.get('/:id/secret', async (req, res) => {
    const destination = await find(req.params.id);
    const secret = (destination.config as { signing_secret?: string }).signing_secret;
    if (!secret) throw new HttpError(404, 'no_signing_secret', `destination ${destination.id} has no signing secret`);
    res.json({ signing_secret: secret });
  });

  router.patch('/:id', async (req, res) => {
    const patch = parseBody(destinationPatchSchema, req.body);
    const existing = await find(req.params.id);
    const { id: _id, created_at: _c, updated_at: _u, ...current } = existing;
    const maskedConfig = registry[existing.type].mask(existing.config) as Record<string, unknown>;
    const config: Record<string, unknown> = { ...existing.config };
    for (const [key, value] of Object.entries(patch.config ?? {})) {
      // A masked secret sent back unchanged (as read from GET) keeps the stored secret.
      if (value !== maskedConfig[key] || value === (existing.config as Record<string, unknown>)[key]) config[key] = value;
    }
    const { config: _patchConfig, ...fields } = patch;
    const merged = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), config };
    const updated = await nameConflictsAs409(() => store.replace(existing.id, prepare(merged)));
    res.json(masked(updated!));
  });

  router.delete('/:id', async (req, res) => {
    if (!(await store.delete(req.params.id))) {
      throw new HttpError(404, 'destination_not_found', `no destination with id ${req.params.id}`);
    }
    res.status(204).end();
  });

  return router;
}

async function nameConflictsAs409<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof NameTakenError) throw new HttpError(409, 'name_taken', err.message, { field: 'name' });
    throw err;
  }
}
