// Tenant keys (README "Serving your customers"): API keys bound to one tenant, kept as digests. The
// key is made here and answered once; afterwards only its id, scopes and first characters are shown.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../domain/api-scopes';
import { keyDigest, keyId } from '../domain/key-digest';
import type { TenantKey } from '../domain/tenants';
import type { Db, TenantKeyRow } from './db';

/** How every tenant key begins: a presented key without it is never looked up in the store. */
export const TENANT_KEY_PREFIX = 'hrk_';

/** Enough of a key to tell it from the tenant's others (`hrk_` and 8 random characters), too little to guess the rest. */
const PREFIX_LENGTH = 12;

/** What a presented key is, when it is a tenant's. */
export type KnownTenantKey = { id: string; tenant_id: string; scopes: Scope[] };

export class TenantKeyStore {
  constructor(private readonly db: Db) {}

  /** A new key for the tenant: the key itself is in the answer only. */
  async create(tenantId: string, scopes: readonly Scope[]): Promise<TenantKey & { key: string }> {
    const key = `${TENANT_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const digest = keyDigest(key);
    const row: TenantKeyRow = { id: keyId(digest), tenant_id: tenantId, digest: digest.toString('hex'), prefix: key.slice(0, PREFIX_LENGTH), scopes: [...new Set(scopes)].join(','), created_at: new Date().toISOString() };
    await this.db.insertInto('tenant_keys').values(row).execute();
    return { ...shown(row), key };
  }

  async list(tenantId: string): Promise<TenantKey[]> {
    const rows = await this.db.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    return rows.map(shown);
  }

  /** Revokes the key; false when the tenant has no such key (another tenant's key id included). */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tenant_keys').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The tenant key whose digest is `presented`, if any. Looked up by id (a digest prefix anybody
   * presenting the key knows anyway), then the whole digests compared in constant time.
   */
  async find(presented: Buffer): Promise<KnownTenantKey | undefined> {
    const row = await this.db.selectFrom('tenant_keys').select(['id', 'tenant_id', 'digest', 'scopes']).where('id', '=', keyId(presented)).executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.digest, 'hex'), presented)) return undefined;
    return { id: row.id, tenant_id: row.tenant_id, scopes: row.scopes.split(',') as Scope[] };
  }
}

function shown(row: TenantKeyRow): TenantKey {
  return { id: row.id, tenant_id: row.tenant_id, scopes: row.scopes.split(',') as TenantKey['scopes'], prefix: row.prefix, created_at: row.created_at };
}
