// Inhibition rules and which open alert inhibits which (README "Inhibition"). Routing asks whether
// an alert is inhibited when it triggers; the API tells the inhibited alerts when their source closes.
import { DEFAULT_TENANT } from '../domain/tenants';
import { randomBytes } from 'node:crypto';
import { OPEN_STATUSES, type Alert } from '../domain/alert';
import { inhibits, isTarget, type InhibitRule, type InhibitRuleInput } from '../domain/inhibition';
import type { Matcher } from '../domain/silences';
import type { Db, InhibitRuleRow } from './db';
import type { Hold } from './silences';

/** Sources are looked for among this many of the newest open alerts. */
export const SOURCE_CANDIDATES = 10_000;
/** An inhibited alert looks again this often even if nobody tells it its source closed. */
export const INHIBITION_RECHECK_MS = 5 * 60_000;

export class InhibitionStore {
  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
    /** The tenant whose rules the API's store sees and makes; undefined (workers): every tenant's. */
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's inhibition rules (README "Serving your customers"). */
  forTenant(tenant: string): InhibitionStore {
    return new InhibitionStore(this.db, this.taskQueue, tenant);
  }

  private selectRules() {
    const all = this.db.selectFrom('inhibit_rules').selectAll().where('task_queue', '=', this.taskQueue);
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  async create(input: InhibitRuleInput, now = new Date()): Promise<InhibitRule> {
    const rule: InhibitRule = { ...input, id: `inh_${randomBytes(10).toString('hex')}`, created_at: now.toISOString() };
    await this.db
      .insertInto('inhibit_rules')
      .values({ id: rule.id, task_queue: this.taskQueue, tenant_id: this.tenant ?? DEFAULT_TENANT, name: rule.name, source_matchers: JSON.stringify(rule.source_matchers), target_matchers: JSON.stringify(rule.target_matchers), equal: JSON.stringify(rule.equal), created_at: rule.created_at })
      .execute();
    return rule;
  }

  async list(): Promise<InhibitRule[]> {
    const rows = await this.selectRules().orderBy('created_at').orderBy('id').execute();
    return rows.map(fromRow);
  }

  async get(id: string): Promise<InhibitRule | undefined> {
    const row = await this.selectRules().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async delete(id: string): Promise<boolean> {
    let query = this.db.deleteFrom('inhibit_rules').where('id', '=', id).where('task_queue', '=', this.taskQueue);
    if (this.tenant !== undefined) query = query.where('tenant_id', '=', this.tenant);
    const result = await query.executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The open alert that inhibits this one now, as a hold the workflow waits on (looked at again every
   * INHIBITION_RECHECK_MS, or sooner when the source closes); none: the record says so.
   */
  /** Only the alert's tenant's rules and open alerts (README "Serving your customers") can inhibit it. */
  async hold(alertId: string, alert: Alert, now = new Date(), { wasHeld = true, tenant = DEFAULT_TENANT } = {}): Promise<Hold | undefined> {
    const rows = await this.db.selectFrom('inhibit_rules').selectAll().where('task_queue', '=', this.taskQueue).where('tenant_id', '=', tenant).orderBy('created_at').orderBy('id').execute();
    const rules = rows.map(fromRow).filter((r) => isTarget(r, alert));
    const source = rules.length === 0 ? undefined : await this.findSource(rules, { ...alert, id: alertId }, tenant);
    if (source !== undefined) await this.db.updateTable('alerts').set({ inhibited_by: source }).where('id', '=', alertId).execute();
    else if (wasHeld) await this.db.updateTable('alerts').set({ inhibited_by: null }).where('id', '=', alertId).where('inhibited_by', 'is not', null).execute();
    return source === undefined ? undefined : { id: `alert:${source}`, until: new Date(now.getTime() + INHIBITION_RECHECK_MS).toISOString() };
  }

  private async findSource(rules: InhibitRule[], target: Alert, tenant: string): Promise<string | undefined> {
    const open = await this.db
      .selectFrom('alerts')
      .select(['id', 'document'])
      .where('task_queue', '=', this.taskQueue)
      .where('tenant_id', '=', tenant)
      .where('status', 'in', OPEN_STATUSES)
      .where('id', '!=', target.id)
      .orderBy('created_at', 'desc')
      .limit(SOURCE_CANDIDATES)
      .execute();
    for (const row of open) {
      const source = { ...(JSON.parse(row.document) as Alert), id: row.id };
      if (rules.some((rule) => inhibits(rule, source, target))) return row.id;
    }
    return undefined;
  }

  /** The open alerts this alert inhibits, for their workflows to look again once it closed. */
  async inhibitedBy(sourceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('alerts').select('id').where('inhibited_by', '=', sourceId).where('status', 'in', OPEN_STATUSES).execute();
    return rows.map((r) => r.id);
  }
}

function fromRow(row: InhibitRuleRow): InhibitRule {
  return {
    id: row.id,
    name: row.name,
    source_matchers: JSON.parse(row.source_matchers) as Matcher[],
    target_matchers: JSON.parse(row.target_matchers) as Matcher[],
    equal: JSON.parse(row.equal) as string[],
    created_at: row.created_at,
  };
}
