// The alert workflow's state (src/workflows/alert/state.ts): FIFO per lane, coalescing of waiting
// updates, the first close winning, failed events kept for redelivery, and the phase read from state.
import type { Route } from '../../src/activities/routing';
import {
  ACK_EVENTS_KEPT,
  acksHeard,
  anyFailed,
  closed,
  eventAppended,
  eventTypeOf,
  freshRun,
  jobDelivered,
  jobFailed,
  lanesIdle,
  phaseOf,
  redeliverFailed,
  resumedRun,
  runDeliveryState,
  snapshotOf,
  standingAck,
  takeNext,
  type AlertRun,
  type LaneRun,
} from '../../src/workflows/alert/state';

const route: Route = { destination_id: 'dst_1', name: 'ops', type: 'webhook', retry_schedule: [0, 60], timeout_s: 5, rules: [] };

function routed(): { run: AlertRun; lane: LaneRun } {
  const run = freshRun('a1', [], 1000, 0);
  const lane: LaneRun = { route, next: 0, failed: [], redeliver: [] };
  run.lanes = [lane];
  return { run, lane };
}

test('the trigger goes first, then waiting updates coalesce into the newest, then the close', () => {
  const { run, lane } = routed();
  for (const s of [1, 2, 3]) eventAppended(run, s);
  closed(run, 4, 'resolve');
  expect(takeNext(run, lane)).toMatchObject({ sequence: 0, coalesced: 0 });
  expect(takeNext(run, lane)).toMatchObject({ sequence: 3, coalesced: 2 });
  expect(takeNext(run, lane)).toMatchObject({ sequence: 4, coalesced: 0 });
  expect(takeNext(run, lane)).toBeUndefined();
  expect(eventTypeOf(run, 4)).toBe('alert.resolved');
  expect(eventTypeOf(run, 2)).toBe('alert.updated');
});

test('a lane that keeps up sends every update on its own', () => {
  const { run, lane } = routed();
  takeNext(run, lane);
  eventAppended(run, 1);
  expect(takeNext(run, lane)).toMatchObject({ sequence: 1, coalesced: 0 });
  eventAppended(run, 2);
  expect(takeNext(run, lane)).toMatchObject({ sequence: 2, coalesced: 0 });
});

test('signals out of order change nothing: sequences say what exists', () => {
  const { run, lane } = routed();
  takeNext(run, lane);
  eventAppended(run, 5);
  eventAppended(run, 3);
  expect(run.lastSequence).toBe(5);
  expect(takeNext(run, lane)).toMatchObject({ sequence: 5, coalesced: 4 });
});

test('the first close wins; a second one changes nothing', () => {
  const { run } = routed();
  closed(run, 1, 'dismiss');
  closed(run, 2, 'resolve');
  expect(run.closing).toEqual({ sequence: 1, action: 'dismiss' });
  expect(run.status).toBe('dismissed');
});

test('a failed update gives way to a newer failed one, and a delivered newer update clears it', () => {
  const { run, lane } = routed();
  for (const s of [1, 2, 3]) eventAppended(run, s);
  jobFailed(run, lane, { sequence: 0, attempts: 2, round: 1, coalesced: 0 });
  jobFailed(run, lane, { sequence: 1, attempts: 2, round: 1, coalesced: 0 });
  jobFailed(run, lane, { sequence: 2, attempts: 2, round: 1, coalesced: 0 });
  expect(lane.failed.map((j) => j.sequence)).toEqual([0, 2]);
  jobDelivered(run, lane, { sequence: 3, attempts: 1, round: 0, coalesced: 0 });
  expect(lane.failed.map((j) => j.sequence)).toEqual([0]);
});

test('redelivery queues failed events with the whole schedule again and keeps their attempt count', () => {
  const { run, lane } = routed();
  jobFailed(run, lane, { sequence: 0, attempts: 2, round: 1, waitUntil: 5, coalesced: 0 });
  expect(anyFailed(run)).toBe(true);
  expect(runDeliveryState(run)).toBe('failed');
  expect(redeliverFailed(lane)).toBe(true);
  expect(lane.redeliver).toEqual([{ sequence: 0, attempts: 2, round: 0, coalesced: 0 }]);
  expect(redeliverFailed(lane)).toBe(false);
});

test('the phase follows from state, so a resumed run continues where the last one stopped', () => {
  const { run, lane } = routed();
  expect(phaseOf(run)).toBe('open');
  closed(run, 1, 'resolve');
  expect(phaseOf(run)).toBe('delivering');
  lane.next = 2;
  expect(lanesIdle(run)).toBe(true);
  expect(phaseOf(run)).toBe('done');
  jobFailed(run, lane, { sequence: 1, attempts: 2, round: 1, coalesced: 0 });
  expect(phaseOf(run)).toBe('grace');
  run.graceOver = true;
  expect(phaseOf(run)).toBe('done');

  run.stopping = true;
  const resumed = resumedRun(JSON.parse(JSON.stringify(snapshotOf(run))));
  expect(resumed.stopping).toBe(false);
  expect({ ...resumed, stopping: true }).toEqual(run);
});

test('delivery state: pending while a lane owes events, retrying once a job is past its first round', () => {
  const { run, lane } = routed();
  expect(runDeliveryState(run)).toBe('pending');
  lane.current = { sequence: 0, attempts: 1, round: 1, coalesced: 0 };
  expect(runDeliveryState(run)).toBe('retrying');
  lane.current = undefined;
  lane.next = 1;
  expect(runDeliveryState(run)).toBe('delivered');
});

describe('acknowledgements (README "Acknowledge")', () => {
  test('an acknowledgement is an event of its own: updates coalesce up to it, not across it', () => {
    const { run, lane } = routed();
    for (const s of [1, 2]) eventAppended(run, s);
    expect(acksHeard(run, [{ sequence: 3, action: 'acknowledge' }], 0)).toBe(true);
    for (const s of [4, 5]) eventAppended(run, s);
    expect(run.status).toBe('acknowledged');
    expect(takeNext(run, lane)).toMatchObject({ sequence: 0 });
    expect(takeNext(run, lane)).toMatchObject({ sequence: 2, coalesced: 1 });
    expect(takeNext(run, lane)).toMatchObject({ sequence: 3, coalesced: 0 });
    expect(eventTypeOf(run, 3)).toBe('alert.acknowledged');
    expect(takeNext(run, lane)).toMatchObject({ sequence: 5, coalesced: 1 });
  });

  test('an update signal that overtook the acknowledgement brings it along: its kind is known before any lane takes it', () => {
    const { run, lane } = routed();
    // The update at 2 arrives first and carries the acknowledgement at 1 (whose own signal comes later).
    eventAppended(run, 2);
    acksHeard(run, [{ sequence: 1, action: 'acknowledge', until: '2026-12-02T10:00:00.000Z' }], 0);
    takeNext(run, lane);
    expect(takeNext(run, lane)).toMatchObject({ sequence: 1 });
    expect(takeNext(run, lane)).toMatchObject({ sequence: 2 });
    expect(acksHeard(run, [{ sequence: 1, action: 'acknowledge', until: '2026-12-02T10:00:00.000Z' }], 0)).toBe(false); // the late one changes nothing
    expect(standingAck(run)).toEqual({ sequence: 1, action: 'acknowledge', until: '2026-12-02T10:00:00.000Z' });
  });

  test('the newest mark decides the status; a closed alert stays closed whatever is heard', () => {
    const { run } = routed();
    acksHeard(run, [{ sequence: 1, action: 'acknowledge' }, { sequence: 2, action: 'unacknowledge' }], 0);
    expect(run.status).toBe('triggered');
    expect(standingAck(run)).toBeUndefined();
    closed(run, 3, 'resolve');
    expect(acksHeard(run, [{ sequence: 1, action: 'acknowledge' }, { sequence: 2, action: 'unacknowledge' }, { sequence: 4, action: 'acknowledge' }], 0)).toBe(false);
    expect(run.status).toBe('resolved');
    expect(standingAck(run)).toBeUndefined();
  });

  test('marks every lane has passed are let go, so the state stays small however often an alert is acknowledged', () => {
    const { run, lane } = routed();
    for (let s = 1; s <= 500; s++) {
      acksHeard(run, [{ sequence: s, action: s % 2 ? 'acknowledge' : 'unacknowledge' }], 0);
      while (takeNext(run, lane));
    }
    expect(run.acks!.length).toBeLessThanOrEqual(2);
    expect(run.acks!.at(-1)).toEqual({ sequence: 500, action: 'unacknowledge' });
    // A lane that is far behind keeps at most ACK_EVENTS_KEPT of them.
    const behind = routed();
    for (let s = 1; s <= 500; s++) acksHeard(behind.run, [{ sequence: s, action: s % 2 ? 'acknowledge' : 'unacknowledge' }], 0);
    expect(behind.run.acks!.length).toBe(ACK_EVENTS_KEPT);
    expect(behind.run.acks!.at(-1)!.sequence).toBe(500);
  });
});

describe('escalation lanes and reminders (README "Escalation policies")', () => {
  const paging: Route = { ...route, destination_id: 'dst_page', name: 'pager' };

  test('a lane a step added takes the trigger, then one update for all before and after it joined, skipping older acknowledgements', () => {
    const { run } = routed();
    eventAppended(run, 1);
    acksHeard(run, [{ sequence: 2, action: 'acknowledge' }, { sequence: 3, action: 'unacknowledge' }], 0);
    eventAppended(run, 4);
    const late: LaneRun = { route: paging, next: 0, failed: [], redeliver: [], joined: 4 };
    run.lanes!.push(late);
    eventAppended(run, 5);
    expect(takeNext(run, late)).toMatchObject({ sequence: 0 });
    // 1, 4 and 5 are updates, 2 and 3 acknowledgements from before it joined: the newest update stands for 1 and 4.
    expect(takeNext(run, late)).toMatchObject({ sequence: 5, coalesced: 2 });
    expect(takeNext(run, late)).toBeUndefined();
    // An acknowledgement after it joined is its own.
    acksHeard(run, [{ sequence: 6, action: 'acknowledge' }], 0);
    expect(takeNext(run, late)).toMatchObject({ sequence: 6 });
  });

  test('a lane that joined after the newest update takes the trigger alone, skipping older acknowledgements', () => {
    const { run } = routed();
    acksHeard(run, [{ sequence: 1, action: 'acknowledge' }, { sequence: 2, action: 'unacknowledge' }], 0);
    const late: LaneRun = { route: paging, next: 0, failed: [], redeliver: [], joined: 2 };
    expect(takeNext(run, late)).toMatchObject({ sequence: 0 });
    expect(takeNext(run, late)).toBeUndefined();
    expect(late.next).toBe(3);
  });

  test('a reminder goes only to the destinations it names; other lanes coalesce their updates across it', () => {
    const { run, lane } = routed();
    const paged: LaneRun = { route: paging, next: 0, failed: [], redeliver: [] };
    run.lanes!.push(paged);
    takeNext(run, lane);
    takeNext(run, paged);
    eventAppended(run, 1);
    run.reminders = [{ sequence: 2, destination_ids: ['dst_page'] }];
    eventAppended(run, 2);
    eventAppended(run, 3);
    expect(eventTypeOf(run, 2)).toBe('alert.escalated');
    expect(takeNext(run, lane)).toMatchObject({ sequence: 3, coalesced: 1 });
    expect(takeNext(run, lane)).toBeUndefined();
    expect(takeNext(run, paged)).toMatchObject({ sequence: 1, coalesced: 0 });
    expect(takeNext(run, paged)).toMatchObject({ sequence: 2 });
    expect(takeNext(run, paged)).toMatchObject({ sequence: 3 });
  });

  test('while the workflow appends an event of its own, lanes take nothing new and the alert is not idle', () => {
    const { run, lane } = routed();
    takeNext(run, lane);
    run.appending = true;
    eventAppended(run, 1);
    expect(takeNext(run, lane)).toBeUndefined();
    expect(lanesIdle(run)).toBe(false);
    run.appending = false;
    expect(takeNext(run, lane)).toMatchObject({ sequence: 1 });
  });
});
