// The group workflow's state, one object as the alert's is: the episode it runs, its timing and its
// lanes. Members are not here (they are in the store), so the state stays small at any group size.
import type { Route } from '../../activities/routing';
import type { GroupEventType } from '../../domain/events';
import type { GroupPolicy } from '../../domain/grouping';
import type { Composed } from '../../store/groups';
import type { DeliveryRun } from '../alert/state';

export type GroupRun = DeliveryRun & {
  keyId: string;
  /** `openedAt`: the episode's first join (epoch ms, on the workflows' clock). */
  episode?: { id: string; name: string; policy: GroupPolicy; openedAt: number };
  routes?: Route[];
  /** When the newest notification was composed (epoch ms); undefined before the first. */
  lastNotifiedAt?: number;
  /** Members joined or left since the last compose (the store signals the first change after each). */
  dirty: boolean;
  /** The store found the group still settling (`settle_s`): compose again no sooner than this. */
  notBefore?: number;
  /** The episode ended (resolved, or every alert left before anything was sent). */
  ended: boolean;
};

export type GroupRunSnapshot = Omit<GroupRun, 'stopping'>;

export function freshGroupRun(keyId: string): GroupRun {
  return { keyId, lastSequence: -1, dirty: false, ended: false, stopping: false };
}

export function snapshotOfGroup({ stopping: _notCarried, ...snapshot }: GroupRun): GroupRunSnapshot {
  return snapshot;
}

/** Sequence 0 opens the group, the closing one resolves it, the rest update it. */
export function groupEventName(run: GroupRun, sequence: number): GroupEventType {
  if (sequence === 0) return 'group.triggered';
  if (run.closing && sequence === run.closing.sequence) return 'group.resolved';
  return 'group.updated';
}

/** What a compose changes: a new notification for the lanes, or the episode's end. True when lanes must start. */
export function composed(run: GroupRun, result: Composed, now: number): boolean {
  if (result.outcome === 'settling') {
    run.dirty = true; // still owed: the same notification, a little later
    run.notBefore = Date.parse(result.until);
    return false;
  }
  run.notBefore = undefined;
  if (result.outcome === 'ended') {
    run.ended = true;
    return false;
  }
  if (result.outcome === 'unchanged') return false;
  const first = run.lastSequence < 0;
  run.lastSequence = result.sequence;
  run.lastNotifiedAt = now;
  if (result.event_type === 'group.resolved') {
    run.closing = { sequence: result.sequence, action: 'resolve' };
    run.ended = true;
  }
  return first;
}
