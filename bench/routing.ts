// The routing step: what finding an alert's rules costs as rules grow (10, 100, 1 000), on one
// SQLite store in one run. Herald's way (src/store/rules.ts enabledIndex: one revision read, then
// the indexed rules that could match) beside the baseline of reading every enabled rule and testing
// each, which is what routing did before the index.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ruleMatches, type Subject } from '../src/domain/routing';
import { migrateToLatest, openSqlite } from '../src/store/db';
import { RuleStore } from '../src/store/rules';
import { percentile } from './stats';

/** Microseconds per alert: routing one alert is far below the millisecond the other steps count in. */
export type RoutingTimes = { p50_us: number; p99_us: number };
export type RoutingCase = { rules: number; herald: RoutingTimes; baseline: RoutingTimes; matched_per_alert: number };

function times(latenciesMs: number[]): RoutingTimes {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { p50_us: Math.round(percentile(sorted, 50) * 1000), p99_us: Math.round(percentile(sorted, 99) * 1000) };
}

const TEAMS = 50;
const TYPES = ['schema_change', 'freshness', 'volume', 'distribution', 'custom'];

/** Rules as teams write them: most by a team label, some by event type, a few by asset alone. */
function ruleAt(i: number) {
  const match =
    i % 10 < 7 ? { labels: { team: `team-${i % TEAMS}` }, severities: ['critical', 'error'] }
    : i % 10 < 9 ? { event_types: [TYPES[i % TYPES.length]!] }
    : { asset: `warehouse.schema_${i % 20}.*` };
  return { name: `bench-rule-${i}`, enabled: true, match, destination_ids: ['dst_bench'], mute_windows: [] };
}

function alertAt(i: number): Subject {
  return {
    severity: i % 3 === 0 ? 'warning' : 'critical',
    labels: { team: `team-${i % TEAMS}`, env: 'production' },
    event: { type: TYPES[i % TYPES.length]!, asset: { qualified_name: `warehouse.schema_${i % 20}.table_${i}` } },
  };
}

export async function routingCost(ruleCounts: number[], alerts: number): Promise<RoutingCase[]> {
  const cases: RoutingCase[] = [];
  for (const count of ruleCounts) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-routing-'));
    const db = openSqlite(dir);
    try {
      await migrateToLatest(db);
      const rules = new RuleStore(db);
      for (let i = 0; i < count; i++) await rules.create(ruleAt(i));
      let matched = 0;
      const timed = async (route: (alert: Subject) => Promise<number>) => {
        const latencies: number[] = [];
        for (let i = 0; i < alerts; i++) {
          const t = performance.now();
          matched += await route(alertAt(i));
          latencies.push(performance.now() - t);
        }
        return times(latencies);
      };
      // One round of each first, unmeasured: the first index build and the JIT's warm-up.
      await (await rules.enabledIndex()).matching(alertAt(0));
      const baseline = await timed(async (alert) => (await rules.list({ enabledOnly: true })).filter((r) => ruleMatches(r.match, alert)).length);
      const scanMatched = matched;
      matched = 0;
      const herald = await timed(async (alert) => (await rules.enabledIndex()).matching(alert).length);
      if (matched !== scanMatched) throw new Error(`the index matched ${matched} rules where the scan matched ${scanMatched}`);
      cases.push({ rules: count, herald, baseline, matched_per_alert: Math.round((matched / alerts) * 10) / 10 });
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cases;
}
