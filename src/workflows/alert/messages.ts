// What the API sends the alert workflow and what it starts it with. Defined beside the workflow so
// the client imports the very same definitions. Every message is a reference (a sequence number in
// the store), never a document: history holds decisions, not alerts (docs/architecture.md).
import { defineSignal } from '@temporalio/workflow';
import type { AckMark, CloseAction } from '../../domain/alert';
import type { GroupPolicy } from '../../domain/grouping';
import type { AckEvent, AlertRunSnapshot } from './state';

/** An Alertmanager or Grafana notification group (its `groupKey`) that becomes one Herald group. */
export type SenderGroup = { source: string; receiver: string; group_key: string; group_labels: Record<string, string>; policy: GroupPolicy };

export type AlertWorkflowInput = {
  alertId: string;
  /** Destinations the alert named itself; rules add more when the workflow routes it. */
  destinationIds: string[];
  /** An alert still open after this long ends as `expired`, closing incidents as a resolve does. */
  maxLifetimeMs: number;
  /** Set by continue-as-new: where the previous run left off. */
  resume?: AlertRunSnapshot;
  /** The sender's own grouping, when the source was asked to keep it (README "Grouping"). */
  senderGroup?: SenderGroup;
  /**
   * Where the alert's first attempts run (HERALD_FIRST_ATTEMPT in src/config.ts). Absent in alerts
   * started before first attempts could run in the workflow task: they keep scheduling them, so
   * their histories replay (no patch: a patch marker costs a search-attribute write per alert).
   */
  firstAttempt?: FirstAttempt;
};

/** Where an event's first attempt runs (HERALD_FIRST_ATTEMPT in src/config.ts). */
export type FirstAttempt = 'in-workflow-task' | 'scheduled';

/**
 * An event the API appended to the alert in the store: its sequence is all the workflow needs, and
 * the alert's newest acknowledgement events, so the workflow knows each event's kind even when a
 * signal was lost or overtaken (README "Acknowledge").
 */
export type EventAppended = { sequence: number; acks?: AckEvent[] };

/** What a signal carries of the alert's acknowledgement marks: each event's kind and deadline, not who (that stays in the store). */
export const ackEventsOf = (marks: readonly AckMark[]): AckEvent[] => marks.map((m) => ({ sequence: m.sequence, action: m.action, ...(m.until !== undefined && { until: m.until }) }));

/** What the ack timeout's activity answers: the withdrawal it appended, or the newest news if the alert moved on meanwhile. */
export type AckTimeoutResult = EventAppended & { closing?: CloseAction };

export const updateSignal = defineSignal<[EventAppended]>('update');
export const resolveSignal = defineSignal<[EventAppended]>('resolve');
export const dismissSignal = defineSignal<[EventAppended]>('dismiss');
export const acknowledgeSignal = defineSignal<[EventAppended]>('acknowledge');
export const unacknowledgeSignal = defineSignal<[EventAppended]>('unacknowledge');
/** What holds the alert ended early (a silence expired, an inhibiting alert closed): look again. */
export const holdChangedSignal = defineSignal('holdChanged');
/** What holds events may have let go (mute windows edited, README "Mute windows"): held events are judged again now. */
export const releaseHeldSignal = defineSignal('releaseHeld');
/** Manual retry of a destination's failed events (each gets the destination's schedule again). */
export const redeliverSignal = defineSignal<[{ destination_id: string; by?: string }]>('redeliver');

/** After the alert closed with a failed delivery, it stays open this long for a manual redelivery. */
export const REDELIVERY_GRACE_MS = 7 * 24 * 3600 * 1000;

/** What the workflow returns: the read model holds the rest. */
export type AlertOutcome = { alert_id: string; status: string; delivery_state: string };
