// Who did what: every change of configuration and every human action on an alert through the API,
// kept in the store (table audit_log) and paged newest first by GET /v1/audit.
import { randomBytes } from 'node:crypto';
import type { Changes } from '../domain/audit';
import type { AuditRow, Db } from './db';

export type AuditEntry = {
  id: string;
  at: string;
  key_id: string;
  scopes: string[];
  action: string;
  target: { type: string; id: string };
  changes?: Changes;
  link?: string;
  /** The tenant the change was made in; absent: the operator's own (README "Serving your customers"). */
  tenant?: string;
};

/** `tenant`: that tenant's entries only; absent, every entry (an operator's unprefixed /v1/audit). */
export type AuditFilter = { tenant?: string; action?: string; target_type?: string; target_id?: string; key_id?: string; since?: string; until?: string };

/** Time first (base 36, fixed width), then randomness: ids sort by when they were made. */
const newId = () => `aud_${Date.now().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;

const fromRow = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  key_id: row.key_id,
  scopes: row.scopes.split(','),
  action: row.action,
  target: { type: row.target_type, id: row.target_id },
  ...(row.changes && { changes: JSON.parse(row.changes) as Changes }),
  ...(row.link && { link: row.link }),
  ...(row.tenant_id && { tenant: row.tenant_id }),
});

export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const row: AuditRow = {
      id: newId(),
      at: new Date().toISOString(),
      key_id: entry.key_id,
      scopes: entry.scopes.join(','),
      action: entry.action,
      target_type: entry.target.type,
      target_id: entry.target.id,
      changes: entry.changes && Object.keys(entry.changes).length > 0 ? JSON.stringify(entry.changes) : null,
      link: entry.link ?? null,
      tenant_id: entry.tenant ?? null,
    };
    await this.db.insertInto('audit_log').values(row).execute();
    return fromRow(row);
  }

  /** Newest first; `after` is the last id of the previous page. */
  async list(filter: AuditFilter, pageSize: number, after?: string): Promise<{ data: AuditEntry[]; next_page_token?: string }> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(pageSize + 1);
    if (filter.tenant) query = query.where('tenant_id', '=', filter.tenant);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.target_type) query = query.where('target_type', '=', filter.target_type);
    if (filter.target_id) query = query.where('target_id', '=', filter.target_id);
    if (filter.key_id) query = query.where('key_id', '=', filter.key_id);
    if (filter.since) query = query.where('at', '>=', filter.since);
    if (filter.until) query = query.where('at', '<', filter.until);
    if (after) query = query.where('id', '<', after);
    const rows = await query.execute();
    const page = rows.slice(0, pageSize).map(fromRow);
    return { data: page, ...(rows.length > pageSize && { next_page_token: page.at(-1)!.id }) };
  }

  /** Forgets entries older than `before`; how many went. */
  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('audit_log').where('at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
