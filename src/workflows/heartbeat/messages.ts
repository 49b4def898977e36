// What the API sends a heartbeat's workflow (README "Heartbeats"). Beside the workflow so the client
// imports the very same definitions.
import { defineSignal } from '@temporalio/workflow';

export type HeartbeatWorkflowInput = {
  name: string;
  /** Epoch ms: raise the alert if no ping came by then. */
  deadlineAt: number;
  /** The open alert of the current miss (carried over continue-as-new). */
  alertId?: string;
};

/** A ping the API kept in the store: when it came, and the deadline it sets (`interval_s + grace_s` later). */
export type Ping = { at: string; deadline_at: string };

export const pingSignal = defineSignal<[Ping]>('ping');
/** The heartbeat was deleted: its open alert is resolved and the workflow ends. */
export const heartbeatDeletedSignal = defineSignal('deleted');

/** What a deadline's activity found: the alert it raised, or a ping the signal of which never came. */
export type MissVerdict = { alert_id: string } | { deadline_at: string } | { gone: true };
