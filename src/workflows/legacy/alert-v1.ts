// FROZEN: the first alert workflow (type `alertWorkflow`), kept only so alerts started before the
// read model finish on the code they started with. New alerts run `alertWorkflowV2`
// (workflows/alert/). Do not change what this code does: a changed command sequence breaks the
// replay of every such alert (test/workflow/replay.test.ts replays recorded histories).
// Delete this folder once no `alertWorkflow` runs (docs/architecture.md, "Versions").
import {
  ActivityFailure,
  condition,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LegacyActivities as Activities, LegacyDeliverResult as DeliverResult, LegacyRoute as Route } from '../../activities/legacy';
import type { Alert, AlertStatus, AlertUpdate } from '../../domain/alert';
import { applyUpdate } from '../../domain/updates';
import {
  legacyDeliveryState as deliveryState,
  legacyLaneState as laneState,
  type LegacyAlertState as AlertState,
  type LegacyEventDelivery as EventDelivery,
  type LegacyLane as Lane,
} from './alert-v1-state';
import { buildOutboundEvent, type AlertEventType, type Closure, type EventType, type OutboundEvent } from '../../domain/events';
import { filterAllows } from '../../domain/routing';
import { formatDuration, waitBeforeAttempt } from '../../domain/schedule';
import {
  HeraldAsset,
  HeraldDeliveryState,
  HeraldDestinations,
  HeraldEventType,
  HeraldSeverity,
  HeraldStatus,
} from '../../temporal/search-attributes';

export type AlertWorkflowInput = {
  alert: Alert;
  destinationIds: string[];
  /** An alert still open after this long ends as `expired`, closing incidents as a resolve does. */
  maxLifetimeMs: number;
};

export const resolveSignal = defineSignal<[Closure]>('resolve');
export const dismissSignal = defineSignal<[Closure]>('dismiss');
export const updateSignal = defineSignal<[AlertUpdate]>('update');
/** Manual retry of a destination's failed events (each gets the destination's schedule again). */
export const redeliverSignal = defineSignal<[{ destination_id: string; by?: string }]>('redeliver');

/** After the alert closed with a failed delivery, it stays open this long for a manual redelivery. */
export const REDELIVERY_GRACE_MS = 7 * 24 * 3600 * 1000;
export const stateQuery = defineQuery<AlertState>('state');

const routingRetry = { initialInterval: '1s', maximumInterval: '30s' } as const;
// Routing is a short store read: as a local activity it runs in the first workflow task and its
// result is still recorded in history (a marker), without a round trip through the task queue.
const { resolveRoutes } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: routingRetry });
// Alerts started before routing became local replay the activity they scheduled.
const { resolveRoutes: resolveRoutesAsActivity } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: routingRetry });

// Unexpected faults (store unavailable, a worker killed mid-request) are retried here a few times,
// then count as a failed attempt. The timeout is set per destination below.
const { deliverEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '65s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
});

export async function alertWorkflow({ alert: initial, destinationIds, maxLifetimeMs }: AlertWorkflowInput): Promise<AlertState> {
  let alert = initial;
  const { workflowId } = workflowInfo();
  let status: AlertStatus = 'triggered';
  let closure: AlertState['closure'];
  const events: OutboundEvent[] = [buildOutboundEvent(alert, 'alert.triggered', new Date())];
  const lanes: Lane[] = [];
  let skipped: AlertState['skipped_destinations'] = [];

  const state = (): AlertState => ({
    id: alert.id,
    workflow_id: workflowId,
    status,
    ...(closure && { closure }),
    alert,
    delivery_state: deliveryState(lanes),
    destinations: lanes.map((lane) => ({ ...lane, state: laneState(lane) })),
    skipped_destinations: skipped,
  });

  // Declared before the signal handlers: a signal that arrived with the start is handled as soon
  // as its handler is set, and publishes search attributes.
  let publishedDeliveryState = '';
  function publishSearchAttributes(): void {
    publishedDeliveryState = deliveryState(lanes);
    upsertSearchAttributes([
      { key: HeraldStatus, value: status },
      { key: HeraldDeliveryState, value: publishedDeliveryState },
    ]);
  }
  /** Called after every change to a lane; writes to history only when the alert-level word changes. */
  function laneChanged(): void {
    if (deliveryState(lanes) !== publishedDeliveryState) publishSearchAttributes();
  }

  // Query handlers must not mutate state; this one builds a fresh view each time.
  setHandler(stateQuery, state);

  const close = (action: 'resolve' | 'dismiss' | 'expire', eventType: AlertEventType, next: AlertStatus) => (c: Closure) => {
    if (status !== 'triggered') return; // the first close wins; later ones change nothing
    status = next;
    closure = { ...c, action, at: new Date().toISOString() };
    events.push(buildOutboundEvent(alert, eventType, new Date(), c));
    publishSearchAttributes();
  };
  setHandler(resolveSignal, close('resolve', 'alert.resolved', 'resolved'));
  setHandler(dismissSignal, close('dismiss', 'alert.dismissed', 'dismissed'));
  setHandler(updateSignal, (update) => {
    if (status !== 'triggered') return; // a closed alert takes no more news
    alert = applyUpdate(alert, update);
    events.push(buildOutboundEvent(alert, 'alert.updated', new Date()));
  });

  upsertSearchAttributes([
    { key: HeraldEventType, value: alert.event.type },
    { key: HeraldSeverity, value: alert.severity },
    ...(alert.event.asset ? [{ key: HeraldAsset, value: alert.event.asset.qualified_name }] : []),
  ]);
  publishSearchAttributes();

  const routeInput = { alert, destinationIds };
  const routing = patched('routing-as-local-activity') ? await resolveRoutes(routeInput) : await resolveRoutesAsActivity(routeInput);
  skipped = routing.skipped;
  if (routing.routes.length > 0) {
    // Names for people typing UI queries, ids for scripts: both find the alert.
    upsertSearchAttributes([{ key: HeraldDestinations, value: routing.routes.flatMap((r) => [r.name, r.destination_id]) }]);
  }

  /** Where each lane is: the next event to send, redeliveries asked for, and whether it is sending. */
  type LaneRun = { next: number; busy: boolean; redeliver: number[] };
  const runs = new Map<string, LaneRun>();
  // Lanes keep listening for redeliveries until the workflow lets them go at its very end.
  let accepting = true;

  /** A lane delivers events[0], events[1], … in order, then any redeliveries, until it is let go. */
  async function runLane(route: Route, lane: Lane): Promise<void> {
    const run: LaneRun = { next: 0, busy: false, redeliver: [] };
    runs.set(route.destination_id, run);
    for (;;) {
      await condition(() => run.redeliver.length > 0 || run.next < events.length || !accepting);
      run.busy = true;
      const again = run.redeliver.shift();
      if (again !== undefined) {
        await deliverWithRetries(route, lane, again, lane.events[again]);
      } else if (run.next < events.length) {
        const sequence = run.next++;
        // Filtered by the alert as this event carries it, not as it is now: every lane, however far
        // behind, makes the same choice for the same event.
        const { event_type: eventType, alert: { severity, labels }, event } = events[sequence]!;
        if (filterAllows(route.filters, { severity, labels, event }, eventType)) await deliverWithRetries(route, lane, sequence);
        else lane.events.push({ event_type: eventType, state: 'skipped', attempts: [] });
      } else {
        return;
      }
      run.busy = false;
    }
  }

  const lanesIdle = () => [...runs.values()].every((run) => !run.busy && run.redeliver.length === 0 && run.next >= events.length);

  setHandler(redeliverSignal, ({ destination_id }) => {
    const run = runs.get(destination_id);
    const lane = lanes.find((l) => l.destination_id === destination_id);
    if (!run || !lane) return;
    lane.events.forEach((delivery, sequence) => {
      if (delivery.state === 'failed' && !run.redeliver.includes(sequence)) run.redeliver.push(sequence);
    });
  });

  /** One event through the destination's schedule; a redelivery continues the event's own record. */
  async function deliverWithRetries(route: Route, lane: Lane, sequence: number, redelivery?: EventDelivery): Promise<void> {
    const event = events[sequence]!;
    const delivery: EventDelivery = redelivery ?? { event_type: event.event_type, state: 'pending', attempts: [] };
    if (redelivery) delivery.state = 'pending';
    else lane.events.push(delivery);
    laneChanged();
    const earlierAttempts = delivery.attempts.length;
    let retryAfterS: number | undefined;
    for (let index = 0; ; index++) {
      const attempt = earlierAttempts + index + 1;
      const waitMs = waitBeforeAttempt(route.retry_schedule, index, Math.random(), retryAfterS);
      if (waitMs === undefined) {
        delivery.state = 'failed';
        laneChanged();
        return;
      }
      if (waitMs > 0) {
        delivery.state = 'retrying';
        delivery.next_attempt_at = new Date(Date.now() + waitMs).toISOString();
        laneChanged();
        await sleep(waitMs, { summary: `wait ${formatDuration(waitMs)} before attempt ${attempt} to ${route.name}` });
        delete delivery.next_attempt_at;
      }
      delivery.state = 'delivering';
      laneChanged();
      const startedAt = new Date().toISOString();
      const result = await attemptDelivery(route, lane, sequence, attempt, event);
      // Remembered at once, so a close can never run without the incident id.
      if (result.incident) lane.incident = result.incident;
      delivery.delivery_id ??= result.delivery_id;
      delivery.attempts.push({
        attempt,
        started_at: startedAt,
        ...(result.status_code !== undefined && { status_code: result.status_code }),
        duration_ms: result.duration_ms,
        ...(result.error !== undefined && { error: result.error }),
        ...(result.validators !== undefined && { validators: result.validators }),
        ...(result.response_excerpt && { response_excerpt: result.response_excerpt }),
        ...(result.note && { note: result.note }),
      });
      if (result.ok || result.permanent) {
        delivery.state = result.ok ? 'delivered' : 'failed';
        laneChanged();
        return;
      }
      retryAfterS = result.retry_after_s;
    }
  }

  async function attemptDelivery(route: Route, lane: Lane, sequence: number, attempt: number, event: OutboundEvent) {
    try {
      return await deliverEvent.executeWithOptions(
        {
          summary: `${event.event_type} to ${route.name}, attempt ${attempt}`,
          // Up to four requests (an OAuth token and its refresh, an incident read then edit) plus loading the destination.
          startToCloseTimeout: `${4 * route.timeout_s + 5}s`,
        },
        [{ workflowId, destinationId: route.destination_id, sequence, attempt, event, ...(lane.incident && { incident: lane.incident }) }],
      );
    } catch (err) {
      // The activity kept failing for a reason of its own (not an HTTP outcome): count it as a failed
      // attempt so the lane's schedule, not Temporal's retry policy, decides what happens next.
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause?.message ?? err.message;
      return { ok: false, duration_ms: 0, delivery_id: '', error: `internal error: ${cause}` } satisfies DeliverResult;
    }
  }

  for (const route of routing.routes) {
    lanes.push({ destination_id: route.destination_id, name: route.name, type: route.type, rules: route.rules, events: [] });
  }
  const lanesDone = Promise.all(routing.routes.map((route, i) => runLane(route, lanes[i]!)));
  if (!(await condition(() => status !== 'triggered', maxLifetimeMs))) {
    close('expire', 'alert.expired', 'expired')({ reason: `still open after ${formatDuration(maxLifetimeMs)}` });
  }
  await condition(lanesIdle);
  if (deliveryState(lanes) === 'failed') {
    // Give an operator time to fix the destination and redeliver before the record closes.
    await condition(() => lanesIdle() && deliveryState(lanes) !== 'failed', REDELIVERY_GRACE_MS);
  }
  accepting = false;
  await lanesDone;
  return state();
}
