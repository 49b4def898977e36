// Making Herald's namespace exist on a Temporal server that was set up without it (a cluster's
// schema tool creates none; the dev server creates its own), from `herald setup`.
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from './search-attribute-registration';
import { HERALD_SEARCH_ATTRIBUTES } from './search-attributes';

/** How long Temporal keeps a closed alert's history (and the UI shows it). */
export const NAMESPACE_RETENTION_DAYS = 7;

type WorkflowService = Pick<Connection['workflowService'], 'describeNamespace' | 'registerNamespace'>;

/** Registers the namespace unless it exists; true when this call created it. Safe to repeat. */
export async function ensureNamespace(workflowService: WorkflowService, namespace: string): Promise<boolean> {
  try {
    await workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: register it below
  }
  try {
    await workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION_DAYS * 86_400_000) });
    return true;
  } catch (err) {
    // ALREADY_EXISTS (6): another process registered it between our two calls.
    if ((err as { code?: number }).code !== 6) throw err;
    return false;
  }
}

/**
 * `herald setup`: the namespace, then Herald's search attributes on it, then a wait until the
 * frontend accepts a query on them. A new namespace and new attributes reach the server's caches
 * only on their next refresh (about 10 s for namespaces), and until then the server answers
 * NOT_FOUND or INVALID_ARGUMENT: both are waited out, up to `timeoutMs`.
 */
export async function setupNamespace(
  connection: Pick<Connection, 'workflowService' | 'operatorService'>,
  namespace: string,
  timeoutMs = 90_000,
): Promise<{ registered: boolean; added: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const registered = await ensureNamespace(connection.workflowService, namespace);
  const added = await untilCacheRefreshed(deadline, 5, () => ensureSearchAttributes(connection.operatorService, namespace));
  const query = HERALD_SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'setup-probe'`).join(' AND ');
  await untilCacheRefreshed(deadline, 3, () => connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 }));
  return { registered, added };
}

async function untilCacheRefreshed<T>(deadline: number, staleCode: number, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: number }).code !== staleCode || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
