// "Send test": one `test` event to a destination now, through the same delivery code as alerts,
// answered with the invocation data a user needs to fix a failing destination.
import { randomBytes } from 'node:crypto';
import { buildOutboundEvent } from '../domain/events';
import type { TargetPolicy } from '../domain/target-policy';
import type { DestinationInput } from './schema';
import type { DestinationProvider } from './types';

export function sampleTestEvent(now: Date) {
  const id = `test_${randomBytes(6).toString('hex')}`;
  return buildOutboundEvent(
    {
      id,
      title: 'Herald test event',
      description: 'Sent by "test destination"; no alert is behind it.',
      severity: 'info',
      labels: { herald_test: 'true' },
      event: { type: 'test', asset: { qualified_name: 'herald.test.asset', asset_type: 'table' } },
      links: {},
      created_at: now.toISOString(),
    },
    'test',
    now,
  );
}

export async function sendTestEvent(provider: DestinationProvider<any>, destination: Pick<DestinationInput, 'config' | 'timeout_s'>, policy: TargetPolicy) {
  const event = sampleTestEvent(new Date());
  const deliveryId = `msg_test_${randomBytes(10).toString('hex')}`;
  const outcome = await provider.send(event, destination.config, {
    workflowId: `test:${deliveryId}`,
    destinationId: 'test',
    deliveryId,
    attempt: 1,
    timeoutMs: destination.timeout_s * 1000,
    policy,
  });
  const { invocation, ok, status_code, duration_ms, error, validators, incident, note } = outcome;
  return {
    success: ok,
    duration_ms,
    ...(incident && { incident }),
    ...(note && { note }),
    ...(status_code !== undefined && { status_code }),
    ...(error !== undefined && { error }),
    validators: validators ?? [],
    request: invocation?.request,
    ...(invocation?.response && {
      response: { ...invocation.response, body: invocation.response.body.slice(0, 4096), truncated: invocation.response.truncated || invocation.response.body.length > 4096 },
    }),
  };
}
