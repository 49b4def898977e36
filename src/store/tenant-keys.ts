// Tenant keys (README "Serving your customers"): API keys bound to one tenant, kept as digests. The
// key is made here and answered once; afterwards only its id, scopes and first characters are shown.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../domain/api-scopes';
import { keyDigest, keyId } from '../domain/key-digest';
import type { TenantKey } from '../domain/tenants';
import type { Db, TenantKeyRow } from './db';

/** An ordinary key's columns (a portal link's two more take their defaults). */
type KeyColumns = Omit<TenantKeyRow, 'expires_at' | 'portal'>;

/** How every tenant key begins: a presented key without it is never looked up in the store. */
export const TENANT_KEY_PREFIX = 'hrk_';

/** Enough of a key to tell it from the tenant's others (`hrk_` and 8 random characters), too little to guess the rest. */
const PREFIX_LENGTH = 12;

/** What a presented key is, when it is a tenant's; `portal`: a portal link's key (README "A portal for each customer"). */
export type KnownTenantKey = { id: string; tenant_id: string; scopes: Scope[]; portal?: true };

/** A portal link as Herald keeps it: its secret is in the answer to its creation only. */
export type PortalLink = { id: string; tenant_id: string; expires_at: string; read_only: boolean };

export class TenantKeyStore {
  /** `now`: the clock expiries are read against (tests may set it). */
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A portal link: a tenant key that expires after `expiresInS` and is marked as the portal's, so
   * requestTenant (src/api/request-tenant.ts) lets it reach only the portal's routes. Read-only links
   * get the read scope; the others admin, inside their tenant and those routes only.
   */
  async createPortalLink(tenantId: string, expiresInS: number, readOnly: boolean): Promise<PortalLink & { secret: string }> {
    const secret = `${TENANT_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const digest = keyDigest(secret);
    const created = this.now();
    const expiresAt = new Date(created.getTime() + expiresInS * 1000).toISOString();
    const scopes: Scope[] = readOnly ? ['read'] : ['admin'];
    await this.db
      .insertInto('tenant_keys')
      .values({ id: keyId(digest), tenant_id: tenantId, digest: digest.toString('hex'), prefix: secret.slice(0, PREFIX_LENGTH), scopes: scopes.join(','), created_at: created.toISOString(), expires_at: expiresAt, portal: 1 })
      .execute();
    return { id: keyId(digest), tenant_id: tenantId, expires_at: expiresAt, read_only: readOnly, secret };
  }

  /** The portal link `id` while it works (unexpired), for serving its page; knowing an id grants nothing else. */
  async portalLink(id: string): Promise<PortalLink | undefined> {
    const row = await this.db.selectFrom('tenant_keys').select(['id', 'tenant_id', 'scopes', 'expires_at']).where('id', '=', id).where('portal', '=', 1).executeTakeFirst();
    if (!row || this.expired(row.expires_at)) return undefined;
    return { id: row.id, tenant_id: row.tenant_id, expires_at: row.expires_at!, read_only: !row.scopes.split(',').includes('admin') };
  }

  private expired(expiresAt: string | null): boolean {
    return expiresAt !== null && Date.parse(expiresAt) <= this.now().getTime();
  }

  /** A new key for the tenant: the key itself is in the answer only. */
  async create(tenantId: string, scopes: readonly Scope[]): Promise<TenantKey & { key: string }> {
    const key = `${TENANT_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const digest = keyDigest(key);
    const row: KeyColumns = { id: keyId(digest), tenant_id: tenantId, digest: digest.toString('hex'), prefix: key.slice(0, PREFIX_LENGTH), scopes: [...new Set(scopes)].join(','), created_at: new Date().toISOString() };
    await this.db.insertInto('tenant_keys').values(row).execute();
    return { ...shown(row), key };
  }

  async list(tenantId: string): Promise<TenantKey[]> {
    const rows = await this.db.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenantId).where('portal', '=', 0).orderBy('created_at').orderBy('id').execute();
    return rows.map(shown);
  }

  /** Revokes the key; false when the tenant has no such key (another tenant's key id included). */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tenant_keys').where('tenant_id', '=', tenantId).where('id', '=', id).where('portal', '=', 0).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The tenant key whose digest is `presented`, if any. Looked up by id (a digest prefix anybody
   * presenting the key knows anyway), then the whole digests compared in constant time. An expired
   * portal link is answered as an unknown key.
   */
  async find(presented: Buffer): Promise<KnownTenantKey | undefined> {
    const row = await this.db.selectFrom('tenant_keys').select(['id', 'tenant_id', 'digest', 'scopes', 'expires_at', 'portal']).where('id', '=', keyId(presented)).executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.digest, 'hex'), presented) || this.expired(row.expires_at)) return undefined;
    return { id: row.id, tenant_id: row.tenant_id, scopes: row.scopes.split(',') as Scope[], ...(row.portal === 1 && { portal: true as const }) };
  }
  /** Deletes the portal links that expired before `before` (the worker's timer); how many went. */
  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('tenant_keys').where('portal', '=', 1).where('expires_at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

}

/** Expired portal links are kept this long (the portal page answers them "expired" either way), then go. */
export const EXPIRED_PORTAL_LINKS_KEPT_MS = 86_400_000;

function shown(row: KeyColumns): TenantKey {
  return { id: row.id, tenant_id: row.tenant_id, scopes: row.scopes.split(',') as TenantKey['scopes'], prefix: row.prefix, created_at: row.created_at };
}
