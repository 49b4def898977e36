// The purge of a deleted tenant on the time-skipping test server (README "Serving your customers"):
// its open alert is dismissed and its destination hears it, the purge waits for that alert's workflow
// to finish, and then every row goes; a closed alert whose workflow never finishes holds the purge
// only until its longest wait. Real activities, a real SQLite store, a real receiver on loopback.
import { randomBytes } from 'node:crypto';
import { alertKeyFor, workflowIdFor, type Alert } from '../../src/domain/alert';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { TENANT_PURGE_BY } from '../../src/activities/tenants';
import { TenantStore } from '../../src/store/tenants';
import { tenantPurgeWorkflowIdFor } from '../../src/temporal/tenant-purges';
import { tenantPurgeWorkflow } from '../../src/workflows/tenant/purge';
import { Receiver } from '../support/receiver';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';

const TASK_QUEUE = 'herald-purge-test';
let h: WorkflowHarness;
let receiver: Receiver;
let tenants: TenantStore;

beforeAll(async () => {
  h = await startWorkflowHarness(TASK_QUEUE);
  receiver = await Receiver.start();
  tenants = new TenantStore(h.db);
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

const alert = (id: string): Alert => ({ id, title: `Alert ${id}`, severity: 'error', labels: {}, event: { type: 'freshness' }, links: {}, created_at: new Date().toISOString() });

async function tenantWithHook(name: string): Promise<{ tenant: string; hook: string }> {
  const { id: tenant } = await tenants.create({ name });
  const hook = await h.destinations.forTenant(tenant).create({
    name: 'hook',
    type: 'webhook',
    enabled: true,
    retry_schedule: [0, 1, 5],
    timeout_s: 5,
    filters: {},
    mute_windows: [],
    circuit_breaker: DEFAULT_CIRCUIT_POLICY,
    rate_limit: null,
    config: { url: receiver.url(`/hook/${tenant}`), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
  });
  return { tenant, hook: hook.id };
}

const purge = (tenant: string, maxWaitMs?: number) =>
  h.env.client.workflow.execute(tenantPurgeWorkflow, { workflowId: tenantPurgeWorkflowIdFor(tenant), taskQueue: TASK_QUEUE, args: [{ tenant, ...(maxWaitMs && { maxWaitMs }) }] });

test('an open alert is dismissed to its destination, its workflow finishes, then the tenant is purged', async () => {
  const { tenant, hook } = await tenantWithHook('Open alert');
  await h.actions.trigger(alert('open'), [hook], undefined, tenant);
  await receiver.waitFor(1, (r) => r.path === `/hook/${tenant}`);
  await tenants.startDeleting(tenant);

  await purge(tenant);
  const heard = receiver.requests.filter((r) => r.path === `/hook/${tenant}`).map((r) => JSON.parse(r.body) as { event_type: string; alert: { closed_by?: string } });
  expect(heard.map((e) => e.event_type)).toEqual(['alert.triggered', 'alert.dismissed']);
  expect(heard[1]!.alert.closed_by).toBe(TENANT_PURGE_BY);
  // The alert's workflow was done before its rows went.
  const run = await h.env.client.workflow.getHandle(workflowIdFor(alertKeyFor(tenant, 'open'))).describe();
  expect(run.status.name).toBe('COMPLETED');
  expect(await tenants.get(tenant)).toBeUndefined();
  expect(await tenants.ownedRows(tenant)).toEqual({});
});

test('a closed alert whose workflow never finishes holds the purge until its longest wait, then the rows go', async () => {
  const { tenant } = await tenantWithHook('Stuck');
  const key = alertKeyFor(tenant, 'stuck');
  // Kept and closed with no workflow behind it: its event bodies are never dropped.
  await h.alerts.accept(alert('stuck'), TASK_QUEUE, { key, tenant });
  await h.alerts.appendClose(key, 'resolve', {});
  await tenants.startDeleting(tenant);
  expect((await tenants.workLeft(tenant)).finishing_alerts).toBe(1);

  const before = await h.env.currentTimeMs();
  await purge(tenant, 3_600_000);
  expect((await h.env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3_600_000);
  expect(await tenants.get(tenant)).toBeUndefined();
  expect(await h.alerts.exists(key)).toBe(false);
});
