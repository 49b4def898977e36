// /v1/groups: alert groups (README "Grouping"), newest first, and one group with its members,
// notifications and destinations. Groups are made by routing; the API only reads them, the request's
// tenant's only (a group is its rule's tenant's, src/store/groups.ts).
import { Router } from 'express';
import { z } from 'zod';
import { decodePageToken, encodePageToken } from '../store/alert-views';
import type { GroupStore } from '../store/groups';
import { HttpError, parseQuery, queryNumber } from './errors';
import { tenantOf } from './request-tenant';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export const groupListQuerySchema = z.strictObject({
  status: z.enum(['firing', 'resolved']).optional(),
  page_size: queryNumber(z.number().int().min(1).max(200)).default(50),
  page_token: z.string().max(1000).regex(TOKEN, 'is not a page token from this API').optional(),
});

export function groupsRouter({ groups }: { groups: GroupStore }) {
  const router = Router();

  router.get('/', async (req, res) => {
    const { page_size, page_token, status } = parseQuery(groupListQuerySchema, req.query);
    const before = page_token ? decodePageToken(page_token) : undefined;
    const rows = await groups.list({ tenant: tenantOf(res), limit: page_size + 1, ...(status && { status }), ...(before && { before }) });
    const page = rows.slice(0, page_size);
    res.json({ data: page, ...(rows.length > page_size && { next_page_token: encodePageToken(page.at(-1)!) }) });
  });

  router.get('/:id', async (req, res) => {
    const group = await groups.get(req.params.id, tenantOf(res));
    if (!group) throw new HttpError(404, 'group_not_found', `no group with id ${req.params.id}`);
    res.json(group);
  });

  return router;
}
