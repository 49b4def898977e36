// One workflow per heartbeat (README "Heartbeats"): a durable timer to the next deadline; a ping moves
// it; a missed deadline raises the heartbeat's alert through the normal routing (an alert workflow of
// its own), and the next ping resolves it. The store has the last word on pings: a deadline that finds
// a ping the workflow never heard of (its signal was lost) raises nothing. Deterministic code only.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { historyIsFull } from '../alert/workflow';
import { heartbeatDeletedSignal, pingSignal, type HeartbeatWorkflowInput, type Ping } from './messages';

// The store and Temporal may be down for a while: these wait for them rather than lose a miss.
const { heartbeatMissed, heartbeatRecovered } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });

/** Pings per run before it continues as new: each is a signal and a timer, so history stays small. */
const PINGS_PER_RUN = 500;

export async function heartbeatWorkflow(input: HeartbeatWorkflowInput): Promise<void> {
  const state = { ...input };
  let ping: Ping | undefined;
  let deleted = false;
  setHandler(pingSignal, (p) => {
    if (!ping || p.at > ping.at) ping = p; // pings that pile up: the newest sets the deadline
  });
  setHandler(heartbeatDeletedSignal, () => {
    deleted = true;
  });

  for (let pings = 0; ; ) {
    if (pings >= PINGS_PER_RUN || historyIsFull()) {
      await condition(allHandlersFinished);
      if (!ping && !deleted) return continueAsNew<typeof heartbeatWorkflow>(state);
    }
    const woken = () => ping !== undefined || deleted;
    if (state.alertId) {
      await condition(woken); // down: wait for the ping that brings it back
    } else {
      const deadline = new Date(state.deadlineAt).toISOString();
      await condition(woken, Math.max(state.deadlineAt - Date.now(), 1), { summary: `expects a ping by ${deadline}` });
    }
    if (deleted) {
      if (state.alertId) await heartbeatRecovered({ name: state.name, alertId: state.alertId, reason: 'the heartbeat was deleted' });
      return;
    }
    if (ping) {
      const { at, deadline_at } = ping;
      ping = undefined;
      pings++;
      state.deadlineAt = Date.parse(deadline_at);
      if (state.alertId) {
        await heartbeatRecovered({ name: state.name, alertId: state.alertId, reason: `ping received at ${at}` });
        state.alertId = undefined;
      }
      continue;
    }
    const verdict = await heartbeatMissed({ name: state.name, at: new Date().toISOString() });
    if ('gone' in verdict) return;
    if ('deadline_at' in verdict) state.deadlineAt = Date.parse(verdict.deadline_at);
    else state.alertId = verdict.alert_id;
  }
}
