// The engine baseline: the least a Temporal workflow can do to deliver one alert to N receivers:
// one activity per receiver, in parallel, no routing, no state, no signals (bareDelivery); and the
// least it can do with updates (bareUpdates).
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

const { post } = proxyActivities<typeof activities>({ startToCloseTimeout: '30s' });

export async function bareDelivery(urls: string[], id: string): Promise<void> {
  await Promise.all(urls.map((url) => post(url, id)));
}

export const bareUpdate = defineSignal<[number]>('bareUpdate');

/**
 * The engine baseline for updates: the least a workflow can do with `count` updates to one receiver:
 * each signal handled with one activity (the POST), no state, no coalescing; done after the last.
 */
export async function bareUpdates(url: string, id: string, count: number): Promise<void> {
  let handled = 0;
  setHandler(bareUpdate, async (i) => {
    await post(url, `${id}:${i}`);
    handled++;
  });
  await condition(() => handled >= count);
}
