// /v1/groups: alert groups (README "Grouping"), newest first, and one group with its members,
// notifications and destinations. Groups are made by routing; the API only reads them.
import { Router } from 'express';
import { z } from 'zod';
import type { GroupStore } from '../store/groups';
import { HttpError, parseQuery } from './errors';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export const groupListQuerySchema = z.strictObject({
  status: z.enum(['firing', 'resolved']).optional(),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
  page_token: z.string().max(1000).regex(TOKEN, 'is not a page token from this API').optional(),
});

const encodeToken = (last: { created_at: string; id: string }) => Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url');

/** A token this API did not make reads as none (the first page), as the alert list's does. */
function decodeToken(token: string): { created_at: string; id: string } | undefined {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof created_at === 'string' && typeof id === 'string') return { created_at, id };
  } catch {
    // the first page
  }
  return undefined;
}

export function groupsRouter({ groups }: { groups: GroupStore }) {
  const router = Router();

  router.get('/', async (req, res) => {
    const { page_size, page_token, status } = parseQuery(groupListQuerySchema, req.query);
    const before = page_token ? decodeToken(page_token) : undefined;
    const rows = await groups.list({ limit: page_size + 1, ...(status && { status }), ...(before && { before }) });
    const page = rows.slice(0, page_size);
    res.json({ data: page, ...(rows.length > page_size && { next_page_token: encodeToken(page.at(-1)!) }) });
  });

  router.get('/:id', async (req, res) => {
    const group = await groups.get(req.params.id);
    if (!group) throw new HttpError(404, 'group_not_found', `no group with id ${req.params.id}`);
    res.json(group);
  });

  return router;
}
