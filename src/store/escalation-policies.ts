// Escalation policies repository (README "Escalation policies"): the only code that reads or writes
// the escalation_policies table. A running alert keeps the policy as it was when it was routed.
import { randomBytes } from 'node:crypto';
import { DEFAULT_TENANT } from '../domain/tenants';
import type { EscalationPolicy, EscalationPolicyInput } from '../domain/escalation';
import type { Db, EscalationPolicyRow } from './db';
import { uniqueName } from './unique-name';

export class EscalationPolicyStore {
  constructor(
    private readonly db: Db,
    /** The tenant whose policies this store sees; undefined: every tenant's (routing, which has the policy's id from a rule of the alert's tenant). */
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's policies (README "Serving your customers"). */
  forTenant(tenant: string): EscalationPolicyStore {
    return new EscalationPolicyStore(this.db, tenant);
  }

  private query() {
    const all = this.db.selectFrom('escalation_policies').selectAll();
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  async create(input: EscalationPolicyInput): Promise<EscalationPolicy> {
    const now = new Date().toISOString();
    const policy: EscalationPolicy = { ...input, id: `esc_${randomBytes(10).toString('hex')}`, created_at: now, updated_at: now };
    await uniqueName('escalation policy', input.name, () => this.db.insertInto('escalation_policies').values({ ...toRow(policy), tenant_id: this.tenant ?? DEFAULT_TENANT }).execute());
    return policy;
  }

  async get(id: string): Promise<EscalationPolicy | undefined> {
    const row = await this.query().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<EscalationPolicy[]> {
    return (await this.query().orderBy('created_at').orderBy('id').execute()).map(fromRow);
  }

  async replace(id: string, input: EscalationPolicyInput): Promise<EscalationPolicy | undefined> {
    const existing = await this.get(id);
    if (!existing) return undefined;
    const updated: EscalationPolicy = { ...input, id, created_at: existing.created_at, updated_at: new Date().toISOString() };
    const { created_at: _keep, ...row } = toRow(updated);
    await uniqueName('escalation policy', input.name, () => this.db.updateTable('escalation_policies').set(row).where('id', '=', id).execute());
    return updated;
  }

  /** The rules that route to the policy: it cannot be deleted while any does. */
  async rulesUsing(id: string): Promise<{ id: string; name: string }[]> {
    return this.db.selectFrom('rules').select(['id', 'name']).where('escalation_policy_id', '=', id).orderBy('created_at').execute();
  }

  async delete(id: string): Promise<boolean> {
    const deleting = this.db.deleteFrom('escalation_policies').where('id', '=', id);
    const result = await (this.tenant === undefined ? deleting : deleting.where('tenant_id', '=', this.tenant)).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toRow(p: EscalationPolicy): EscalationPolicyRow {
  const { id, name, created_at, updated_at, ...settings } = p;
  return { id, name, settings: JSON.stringify(settings), created_at, updated_at };
}

function fromRow(row: EscalationPolicyRow): EscalationPolicy {
  return { id: row.id, name: row.name, ...(JSON.parse(row.settings) as Omit<EscalationPolicyInput, 'name'>), created_at: row.created_at, updated_at: row.updated_at };
}
