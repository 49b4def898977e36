// Keeps an alert page fresh while something is still moving.
import { useEffect, useState } from 'preact/hooks';
import type { AlertState } from '../types';

export const REFRESH_MS = 2000;
/** After an action the API accepted, how long to keep refreshing until the workflow shows its effect. */
const AFTER_ACTION_MS = 30_000;

const MOVING = new Set(['pending', 'retrying']);

/** Something is still on its way: the alert's word, a lane's, or an event's (the read model's words). */
export const deliveriesPending = (state: AlertState) =>
  MOVING.has(state.delivery_state) || state.destinations.some((lane) => MOVING.has(lane.state) || lane.events.some((e) => MOVING.has(e.state)));

/** Calls `reload` every REFRESH_MS while `active`, or for a while after `kick()` (an accepted action). */
export function useRefresh(reload: () => Promise<void>, active: boolean): { live: boolean; kick: () => void } {
  const [until, setUntil] = useState(0);
  const live = active || Date.now() < until;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, reload]);
  return {
    live,
    kick: () => {
      setUntil(Date.now() + AFTER_ACTION_MS);
      void reload();
    },
  };
}
