// Routing rules repository: the only code that reads or writes the rules table. A store for one
// tenant (forTenant) sees and makes only its rules; routing asks for one tenant's index (enabledIndex).
import { randomBytes } from 'node:crypto';
import { DEFAULT_TENANT } from '../domain/tenants';
import type { GroupPolicy } from '../domain/grouping';
import type { MuteWindow } from '../domain/mute-windows';
import type { RuleMatch } from '../domain/routing';
import { RuleIndex } from '../domain/rule-index';
import type { Db, RuleRow } from './db';
import { uniqueName } from './unique-name';

/**
 * `group`: the alerts the rule routes are grouped by this policy (README "Grouping"); absent, each alert goes alone.
 * `mute_windows`: when the routes it chose send nothing (README "Mute windows").
 * `auto_resolve_after_s`: the alerts it matches resolve themselves after this long without news (README "Auto-resolve").
 * `escalation_policy_id`: the alerts it matches escalate by this policy (README "Escalation policies").
 */
export type RuleInput = {
  name: string;
  enabled: boolean;
  match: RuleMatch;
  destination_ids: string[];
  group?: GroupPolicy;
  mute_windows: MuteWindow[];
  auto_resolve_after_s?: number;
  escalation_policy_id?: string;
};
export type Rule = RuleInput & { id: string; created_at: string; updated_at: string };

export class RuleStore {
  /** The enabled rules as of a revision of the rules table, an index per tenant (see `enabledIndex`). */
  private cached?: { revision: number; byTenant: Map<string, RuleIndex<Rule>> };

  constructor(
    private readonly db: Db,
    /** The tenant whose rules this store sees; undefined: every tenant's. */
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's rules (README "Serving your customers"). */
  forTenant(tenant: string): RuleStore {
    return new RuleStore(this.db, tenant);
  }

  private query() {
    const all = this.db.selectFrom('rules').selectAll();
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  async create(input: RuleInput): Promise<Rule> {
    const now = new Date().toISOString();
    const rule: Rule = { ...input, id: `rul_${randomBytes(10).toString('hex')}`, created_at: now, updated_at: now };
    await this.changing((trx) => uniqueName('rule', input.name, () => trx.insertInto('rules').values({ ...toRow(rule), tenant_id: this.tenant ?? DEFAULT_TENANT }).execute()));
    return rule;
  }

  /**
   * The enabled rules, indexed for routing. Routing runs once per alert and rules change seldom, so
   * the rules are read again only when the table's revision moved: one small read per alert instead
   * of every rule. The revision is read first, so a change that lands meanwhile is read next time.
   * Only `tenant`'s rules are in the index: a rule never routes another tenant's alert.
   */
  async enabledIndex(tenant: string = DEFAULT_TENANT): Promise<RuleIndex<Rule>> {
    const { revision } = await this.db.selectFrom('revisions').select('revision').where('name', '=', 'rules').executeTakeFirstOrThrow();
    if (this.cached?.revision !== revision) {
      const rows = await this.db.selectFrom('rules').selectAll().where('enabled', '=', 1).orderBy('created_at').orderBy('id').execute();
      const byTenant = new Map<string, Rule[]>();
      for (const row of rows) {
        const rules = byTenant.get(row.tenant_id) ?? [];
        if (rules.length === 0) byTenant.set(row.tenant_id, rules);
        rules.push(fromRow(row));
      }
      this.cached = { revision, byTenant: new Map([...byTenant].map(([id, rules]) => [id, new RuleIndex(rules)])) };
    }
    return this.cached.byTenant.get(tenant) ?? EMPTY_INDEX;
  }

  /** Every write of the rules table moves its revision in the same transaction (every process's cache sees it). */
  private async changing<T>(write: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const result = await write(trx);
      await trx.updateTable('revisions').set((eb) => ({ revision: eb('revision', '+', 1) })).where('name', '=', 'rules').execute();
      return result;
    });
  }

  async get(id: string): Promise<Rule | undefined> {
    const row = await this.query().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(opts: { enabledOnly?: boolean } = {}): Promise<Rule[]> {
    let query = this.query().orderBy('created_at').orderBy('id');
    if (opts.enabledOnly) query = query.where('enabled', '=', 1);
    return (await query.execute()).map(fromRow);
  }

  async replace(id: string, input: RuleInput): Promise<Rule | undefined> {
    const existing = await this.get(id);
    if (!existing) return undefined;
    const updated: Rule = { ...input, id, created_at: existing.created_at, updated_at: new Date().toISOString() };
    const { created_at: _keep, ...row } = toRow(updated);
    await this.changing((trx) => uniqueName('rule', input.name, () => trx.updateTable('rules').set(row).where('id', '=', id).execute()));
    return updated;
  }

  /** The mute windows of the given rules, for a lane's first attempt (rules since deleted have none). */
  async muteWindowsOf(ids: readonly string[]): Promise<MuteWindow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('rules').select('mute_windows').where('id', 'in', [...ids]).where('mute_windows', '!=', '[]').execute();
    return rows.flatMap((row) => JSON.parse(row.mute_windows) as MuteWindow[]);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.changing((trx) => {
      const deleting = trx.deleteFrom('rules').where('id', '=', id);
      return (this.tenant === undefined ? deleting : deleting.where('tenant_id', '=', this.tenant)).executeTakeFirst();
    });
    return result.numDeletedRows > 0n;
  }
}

const EMPTY_INDEX = new RuleIndex<Rule>([]);

function toRow(r: Rule): RuleRow {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled ? 1 : 0,
    match: JSON.stringify(r.match),
    destination_ids: JSON.stringify(r.destination_ids),
    grouping: r.group ? JSON.stringify(r.group) : null,
    mute_windows: JSON.stringify(r.mute_windows),
    auto_resolve_after_s: r.auto_resolve_after_s ?? null,
    escalation_policy_id: r.escalation_policy_id ?? null,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

function fromRow(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    match: JSON.parse(row.match),
    destination_ids: JSON.parse(row.destination_ids),
    ...(row.grouping && { group: JSON.parse(row.grouping) as GroupPolicy }),
    mute_windows: JSON.parse(row.mute_windows) as MuteWindow[],
    ...(row.auto_resolve_after_s !== null && { auto_resolve_after_s: row.auto_resolve_after_s }),
    ...(row.escalation_policy_id !== null && { escalation_policy_id: row.escalation_policy_id }),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
