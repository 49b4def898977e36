// The engine baseline: the least a Temporal workflow can do to deliver one alert to N receivers:
// one activity per receiver, in parallel, no routing, no state, no signals.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { post } = proxyActivities<typeof activities>({ startToCloseTimeout: '30s' });

export async function bareDelivery(urls: string[], id: string): Promise<void> {
  await Promise.all(urls.map((url) => post(url, id)));
}
