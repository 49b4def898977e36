// The alert workflow's state, all in one object: small and bounded whatever the alert carries or
// however long it lives (a few numbers per destination), so continue-as-new can carry it whole.
// Pure functions over it; the workflow and its lanes change it only through these.
import type { AckAction, AlertStatus, CloseAction } from '../../domain/alert';
import { CLOSE_ACTIONS } from '../../domain/close-actions';
import type { DeliveryState } from '../../domain/alert-state';
import { ACK_EVENT_TYPES, CLOSING_EVENT_TYPES, type EventType } from '../../domain/events';
import type { Route } from '../../activities/routing';
import type { GroupMembership } from '../../domain/grouping';
import type { IncidentRef } from '../../destinations/types';
import type { EscalationCursor, EscalationTimings } from '../../domain/escalation-steps';

/** One event on its way to one destination, through the destination's retry schedule. */
export type Job = {
  sequence: number;
  /** Attempts made so far, over every round (a redelivery continues the count). */
  attempts: number;
  /** Position in the retry schedule of the next attempt of this round. */
  round: number;
  /** Epoch ms before which the next attempt must not start (a retry timer). */
  waitUntil?: number;
  /** Earlier updates this one stands for. */
  coalesced: number;
  /** What holds the event until `waitUntil`, in words (a mute window, README "Mute windows"). */
  heldBy?: string;
  /** The run's `heldRevision` when the held attempt was asked for: a newer one judges the event again. */
  heldAtRevision?: number;
};

/**
 * A destination's FIFO: `next` is the first sequence it has not taken yet. Its events go out in
 * sequence order, one at a time; updates waiting behind a busy lane coalesce into the newest.
 */
export type LaneRun = {
  route: Route;
  next: number;
  current?: Job;
  /** Failed events kept for a manual redelivery: the trigger, the newest update, the closing event. */
  failed: Job[];
  redeliver: Job[];
  incident?: IncidentRef;
  /** The mute window that dropped this lane's trigger: the rest of the alert is dropped here too. */
  droppedBy?: string;
  /**
   * Set on a lane an escalation step added (README "Escalation policies"): the alert's newest sequence
   * then. The lane starts at the trigger, its updates up to here coalesce into one, and it skips
   * acknowledgements and reminders from before it joined.
   */
  joined?: number;
};

/**
 * An acknowledgement or its withdrawal as the workflow knows it: which event it is, and until when
 * an acknowledgement holds (README "Acknowledge"). Who did it stays in the store.
 */
export type AckEvent = { sequence: number; action: AckAction; until?: string };

/** An escalation step's reminder (`alert.escalated`): the destinations it is for, which heard of the alert before. */
export type Reminder = { sequence: number; destination_ids: string[] };

/** At most this many acknowledgement events are kept in a run (the newest always; older ones only while a lane needs them). */
export const ACK_EVENTS_KEPT = 40;

/** What lanes read of their owner's run: how far its events go, how it closes, and when to stop. */
export type DeliveryRun = {
  lastSequence: number;
  closing?: { sequence: number; action: CloseAction };
  /** The alert's acknowledgement events lanes may still take, oldest first; a group has none. */
  acks?: AckEvent[];
  /** The alert's escalation reminders, oldest first; a group has none. */
  reminders?: Reminder[];
  /** Set while the workflow appends an event of its own: lanes take nothing new until its sequence is known. */
  appending?: boolean;
  stopping: boolean;
  lanes?: LaneRun[];
  /** Counts the signals that what holds events may have let go; held events wake when it moves. */
  heldRevision?: number;
};

/** What holds events may have let go: every held event is judged again. */
export function heldMayBeReleased(run: DeliveryRun): void {
  run.heldRevision = (run.heldRevision ?? 0) + 1;
}

export type AlertRun = {
  alertId: string;
  destinationIds: string[];
  maxLifetimeMs: number;
  status: AlertStatus;
  /** The newest event sequence known to exist in the store (0: only the trigger). */
  lastSequence: number;
  closing?: { sequence: number; action: CloseAction };
  /** As DeliveryRun's; the newest says whether the alert is acknowledged. */
  acks?: AckEvent[];
  /** The acknowledgement whose `until` was reached and dealt with (README "Acknowledge"). */
  ackRanOut?: number;
  /** When the workflow heard the standing acknowledgement (its clock): a policy's ack timeout counts from it. */
  ackHeard?: { sequence: number; at: number };
  /** An alert with no news for this long resolves itself (README "Auto-resolve"), from routing. */
  autoResolveMs?: number;
  /** When the newest update was heard (the workflow's clock); the start until then. */
  lastNewsAt?: number;
  /** Undefined until routing ran. */
  lanes?: LaneRun[];
  /** As DeliveryRun's. */
  reminders?: Reminder[];
  appending?: boolean;
  /** The alert's escalation policy as routing found it, and how far it got (README "Escalation policies"). */
  escalation?: EscalationRun;
  expiresAt: number;
  /** Set when the alert closed with a failed delivery: the record stays open for redelivery until then. */
  graceUntil?: number;
  graceOver: boolean;
  publishedDeliveryState: DeliveryState;
  /** Set to make every lane stop at its next safe point: before continue-as-new, or at the very end. */
  stopping: boolean;
  /** The groups the alert joined (README "Grouping"); their destinations are theirs, not the alert's lanes'. */
  groups?: string[];
  /** Set once the groups were told the alert closed. */
  groupsLeft?: boolean;
  /** Groups to join once a hold lets the alert go. */
  pendingGroups?: GroupMembership[];
  /**
   * What holds the alert: a silence (`sil_…`, README "Silences") until its end, or the open alert that
   * inhibits it (`alert:…`, README "Inhibition"), looked at again at `until`; lanes and groups wait.
   */
  hold?: { id: string; until: string };
  /** Set by a signal when what holds the alert ended early (a silence expired, an inhibiting alert closed). */
  holdChanged?: boolean;
  /** As DeliveryRun's: moved by each signal that mute windows changed. */
  heldRevision?: number;
};

/** What the workflow knows of the alert's escalation: bounded by the policy's limits (10 steps of 20 destinations). */
export type EscalationRun = {
  policyId: string;
  name: string;
  timings: EscalationTimings;
  /** Each step's destinations, as routing found them (missing and disabled ones left out). */
  steps: Route[][];
  ackTimeoutMs?: number;
  /** The next step to fire. */
  cursor: EscalationCursor;
  /** When the wait for it began (workflow clock): the previous step fired, or the alert returned to triggered. */
  since: number;
};

/** Everything continue-as-new carries; `stopping` is the only field a new run does not inherit. */
export type AlertRunSnapshot = Omit<AlertRun, 'stopping'>;

export function freshRun(alertId: string, destinationIds: string[], maxLifetimeMs: number, now: number): AlertRun {
  return {
    alertId,
    destinationIds,
    maxLifetimeMs,
    status: 'triggered',
    lastSequence: 0,
    expiresAt: now + maxLifetimeMs,
    graceOver: false,
    publishedDeliveryState: 'pending',
    stopping: false,
  };
}

export function resumedRun(snapshot: AlertRunSnapshot): AlertRun {
  return { ...snapshot, stopping: false };
}

export function snapshotOf({ stopping: _notCarried, ...snapshot }: AlertRun): AlertRunSnapshot {
  return snapshot;
}

/** An event the API appended: known from now on (signals may arrive out of order; sequences do not lie). */
export function eventAppended(run: AlertRun, sequence: number): void {
  run.lastSequence = Math.max(run.lastSequence, sequence);
}

/** The first close wins; a repeat of the same close (a signal after the expiry found it) changes nothing. */
export function closed(run: AlertRun, sequence: number, action: CloseAction): void {
  eventAppended(run, sequence);
  if (run.closing) return;
  run.closing = { sequence, action };
  run.status = CLOSE_ACTIONS[action];
}

/**
 * Acknowledgement events the API or the ack timeout announced (every signal carries the alert's
 * newest ones, so one that arrives late or not at all is known from the next). True when the alert's
 * status changed: acknowledged or back to triggered.
 */
export function acksHeard(run: AlertRun, heard: readonly AckEvent[] | undefined, now: number): boolean {
  if (!heard || heard.length === 0) return false;
  const known = new Map((run.acks ?? []).map((a) => [a.sequence, a]));
  for (const ack of heard) {
    known.set(ack.sequence, ack);
    eventAppended(run, ack.sequence);
  }
  const floor = oldestNeeded(run);
  const sorted = [...known.values()].sort((a, b) => a.sequence - b.sequence);
  const newest = sorted.at(-1)!;
  run.acks = [...sorted.filter((a) => a !== newest && a.sequence >= floor).slice(-(ACK_EVENTS_KEPT - 1)), newest];
  if (run.closing) return false;
  if (run.escalation?.ackTimeoutMs !== undefined && newest.action === 'acknowledge' && run.ackHeard?.sequence !== newest.sequence) run.ackHeard = { sequence: newest.sequence, at: now };
  const status = newest.action === 'acknowledge' ? 'acknowledged' : 'triggered';
  if (status === run.status) return false;
  run.status = status;
  return true;
}

/** The acknowledgement standing now, if the open alert is acknowledged. */
export function standingAck(run: AlertRun): AckEvent | undefined {
  const newest = run.acks?.at(-1);
  return !run.closing && newest?.action === 'acknowledge' ? newest : undefined;
}

/** What the open alert waits for next: its expiry, its acknowledgement's `until`, or its auto-resolve. */
export type OpenDeadline =
  | { kind: 'expire'; at: number }
  | { kind: 'acknowledgement'; at: number; sequence: number; summary: string }
  | { kind: 'auto-resolve'; at: number; summary: string };

export function nextOpenDeadline(run: AlertRun): OpenDeadline {
  let next: OpenDeadline = { kind: 'expire', at: run.expiresAt };
  const ack = standingAck(run);
  const until = ack && ackHoldsUntil(run, ack);
  // An acknowledgement whose deadline was dealt with already waits for nothing more.
  if (ack && until !== undefined && run.ackRanOut !== ack.sequence && Date.parse(until) < next.at) {
    next = { kind: 'acknowledgement', at: Date.parse(until), sequence: ack.sequence, summary: `acknowledged until ${until}` };
  }
  if (run.autoResolveMs !== undefined) {
    const at = (run.lastNewsAt ?? run.expiresAt - run.maxLifetimeMs) + run.autoResolveMs;
    if (at < next.at) next = { kind: 'auto-resolve', at, summary: `resolves itself at ${new Date(at).toISOString()} unless news comes` };
  }
  return next;
}

/** Its own `until`, else the escalation policy's `ack_timeout_s` after the workflow heard it (README "Escalation policies"). */
function ackHoldsUntil(run: AlertRun, ack: AckEvent): string | undefined {
  if (ack.until !== undefined) return ack.until;
  const timeout = run.escalation?.ackTimeoutMs;
  return timeout !== undefined && run.ackHeard?.sequence === ack.sequence ? new Date(run.ackHeard.at + timeout).toISOString() : undefined;
}

/** Changes whenever the open alert's deadlines may have moved: a wait on them wakes to look again. */
export function openDeadlineKey(run: AlertRun): string {
  return `${standingAck(run)?.sequence ?? ''}/${run.autoResolveMs !== undefined ? (run.lastNewsAt ?? '') : ''}`;
}

/** The oldest sequence any lane still refers to (its next event, the one under way, failed ones kept). */
function oldestNeeded(run: DeliveryRun): number {
  if (!run.lanes) return 0;
  let oldest = Infinity;
  for (const lane of run.lanes) {
    oldest = Math.min(oldest, lane.next, lane.current?.sequence ?? Infinity, ...lane.failed.map((j) => j.sequence), ...lane.redeliver.map((j) => j.sequence));
  }
  return oldest;
}

export function eventTypeOf(run: DeliveryRun, sequence: number): EventType {
  if (sequence === 0) return 'alert.triggered';
  if (run.closing && sequence === run.closing.sequence) {
    return CLOSING_EVENT_TYPES[run.closing.action];
  }
  const ack = run.acks?.find((a) => a.sequence === sequence);
  if (ack) return ACK_EVENT_TYPES[ack.action];
  return run.reminders?.some((r) => r.sequence === sequence) ? 'alert.escalated' : 'alert.updated';
}

/**
 * Whether the lane sends this event (not an update): a reminder only to the destinations it names,
 * and a lane an escalation step added nothing from before it joined but the trigger.
 */
function sendsOwn(run: DeliveryRun, lane: LaneRun, sequence: number): boolean {
  if (sequence === 0 || (run.closing && sequence === run.closing.sequence)) return true;
  if (lane.joined !== undefined && sequence <= lane.joined) return false;
  const reminder = run.reminders?.find((r) => r.sequence === sequence);
  return !reminder || reminder.destination_ids.includes(lane.route.destination_id);
}

/**
 * The lane's next event, or undefined when it has taken every known one. Updates waiting behind a
 * lane coalesce into the newest before the next event of another kind: each carries everything
 * known so far, while a trigger, an acknowledgement and a close each go out on their own.
 */
export function takeNext(run: DeliveryRun, lane: LaneRun): Job | undefined {
  for (;;) {
    const sequence = lane.next;
    if (run.appending || sequence > run.lastSequence) return undefined;
    if (eventTypeOf(run, sequence) !== 'alert.updated') {
      lane.next = sequence + 1;
      if (!sendsOwn(run, lane, sequence)) continue; // not this lane's: skipped
      return { sequence, attempts: 0, round: 0, coalesced: 0 };
    }
    // Coalesced up to the next event of another kind this lane sends; the ones it skips are no updates.
    const others = [run.closing?.sequence, ...(run.acks ?? []).map((a) => a.sequence), ...(run.reminders ?? []).map((r) => r.sequence)].filter(
      (s): s is number => s !== undefined && s > sequence && s <= run.lastSequence,
    );
    const stop = Math.min(...others.filter((s) => sendsOwn(run, lane, s)));
    let newestUpdate = Number.isFinite(stop) ? stop - 1 : run.lastSequence;
    const skipped = new Set(others.filter((s) => s <= newestUpdate));
    while (skipped.has(newestUpdate)) newestUpdate--; // the newest event before the stop that is an update
    lane.next = newestUpdate + 1;
    return { sequence: newestUpdate, attempts: 0, round: 0, coalesced: newestUpdate - sequence - skipped.size + [...skipped].filter((s) => s > newestUpdate).length };
  }
}

/** A job that went through its schedule and failed; a newer failed update takes an older one's place. */
export function jobFailed(run: DeliveryRun, lane: LaneRun, job: Job): void {
  if (eventTypeOf(run, job.sequence) === 'alert.updated') dropOlderUpdates(run, lane, job.sequence);
  lane.failed.push({ ...job, waitUntil: undefined });
}

/** A delivered update carries everything the older failed ones did: they need no redelivery. */
export function jobDelivered(run: DeliveryRun, lane: LaneRun, job: Job): void {
  if (eventTypeOf(run, job.sequence) === 'alert.updated') dropOlderUpdates(run, lane, job.sequence);
}

function dropOlderUpdates(run: DeliveryRun, lane: LaneRun, sequence: number): void {
  lane.failed = lane.failed.filter((f) => eventTypeOf(run, f.sequence) !== 'alert.updated' || f.sequence > sequence);
}

/** Queues a lane's failed events again, each with the destination's whole schedule. */
export function redeliverFailed(lane: LaneRun): boolean {
  if (lane.failed.length === 0) return false;
  lane.redeliver.push(...lane.failed.map((job) => ({ ...job, round: 0 })));
  lane.failed = [];
  return true;
}

export function laneIdle(run: DeliveryRun, lane: LaneRun): boolean {
  return lane.current === undefined && lane.redeliver.length === 0 && lane.next > run.lastSequence;
}

export function lanesIdle(run: DeliveryRun): boolean {
  return !run.appending && (run.lanes ?? []).every((lane) => laneIdle(run, lane));
}

export function anyFailed(run: DeliveryRun): boolean {
  return (run.lanes ?? []).some((lane) => lane.failed.length > 0);
}

/** The alert's delivery state as the workflow sees it (the read model derives the same word from rows). */
export function runDeliveryState(run: AlertRun): DeliveryState {
  const lanes = run.lanes;
  if (!lanes) return 'pending';
  if (anyFailed(run)) return 'failed';
  if (lanes.some((lane) => lane.current !== undefined && lane.current.round > 0)) return 'retrying';
  if (!lanesIdle(run)) return 'pending';
  return 'delivered';
}

export type Phase = 'open' | 'delivering' | 'grace' | 'done';

/** Where the alert is in its life, from its state alone: a resumed run picks up from here. */
export function phaseOf(run: AlertRun): Phase {
  if (!run.closing) return 'open';
  if (!lanesIdle(run)) return 'delivering';
  if (anyFailed(run) && !run.graceOver) return 'grace';
  return 'done';
}
