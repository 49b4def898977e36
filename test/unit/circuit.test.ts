// The circuit breaker's transitions (src/domain/circuit.ts): opening after failures in a row, one
// probe at a time once the cooldown is over, closing on its success, reopening twice as long on its
// failure, and who waits how long meanwhile.
import { admit, afterAttempt, closedCircuit, DEFAULT_CIRCUIT_POLICY, type Circuit } from '../../src/domain/circuit';

const policy = { failure_threshold: 3, cooldown_s: 30, max_cooldown_s: 100, disable_after_s: 0 };
const LEASE = 10_000;
const BACKSTOP = 300_000;
const t0 = new Date('2026-12-02T10:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

function failTimes(circuit: Circuit, n: number, from = 0): Circuit {
  for (let i = 0; i < n; i++) circuit = afterAttempt(circuit, 'failure', 'HTTP 503', at(from + i), policy, LEASE).next;
  return circuit;
}

test('the defaults: 20 failures in a row, 30 s open, at most 2 minutes, disabled after 5 days of outage', () => {
  expect(DEFAULT_CIRCUIT_POLICY).toEqual({ failure_threshold: 20, cooldown_s: 30, max_cooldown_s: 120, disable_after_s: 5 * 86_400 });
});

test('a closed circuit admits everything; failures in a row open it, a success in between resets the count', () => {
  const closed = closedCircuit(t0);
  expect(admit(closed, 'msg_a', t0, LEASE, BACKSTOP).admission).toEqual({ admit: true, probe: false });
  const twice = failTimes(closed, 2);
  expect(twice).toMatchObject({ state: 'closed', consecutive_failures: 2, last_error: 'HTTP 503' });
  const reset = afterAttempt(twice, 'success', undefined, at(3), policy, LEASE);
  expect(reset.next).toMatchObject({ state: 'closed', consecutive_failures: 0 });
  expect(reset.transition).toBeUndefined();
  expect(afterAttempt(twice, 'neutral', 'HTTP 400', at(3), policy, LEASE).next).toBe(twice); // a 4xx says nothing of health

  const opened = afterAttempt(twice, 'failure', 'timeout', at(5), policy, LEASE);
  expect(opened.transition).toBe('opened');
  expect(opened.next).toMatchObject({ state: 'open', since: at(5).toISOString(), next_probe_at: at(35).toISOString(), cooldown_s: 30, last_error: 'timeout' });
});

test('while open: the first attempt refused becomes the prober and waits for the probe time; the others wait longer, to be released', () => {
  const open = failTimes(closedCircuit(t0), 3);
  const first = admit(open, 'msg_a', at(10), LEASE, BACKSTOP);
  expect(first.admission).toEqual({ admit: false, until: open.next_probe_at, probe_owner: true });
  const named = first.next!;
  expect(named.prober).toBe('msg_a');
  const other = admit(named, 'msg_b', at(11), LEASE, BACKSTOP);
  expect(other.admission).toMatchObject({ admit: false, probe_owner: false });
  expect(Date.parse((other.admission as { until: string }).until)).toBe(Date.parse(open.next_probe_at!) + LEASE + BACKSTOP);
  expect(other.next).toBeUndefined();

  // At the probe time the prober goes through, alone.
  const probe = admit(named, 'msg_a', at(32), LEASE, BACKSTOP);
  expect(probe.admission).toEqual({ admit: true, probe: true });
  expect(probe.next).toMatchObject({ state: 'half_open', prober: 'msg_a' });
  expect(admit(probe.next!, 'msg_b', at(33), LEASE, BACKSTOP).admission).toMatchObject({ admit: false, probe_owner: false });
});

test("a prober that never came back is replaced once its lease is over", () => {
  const open = failTimes(closedCircuit(t0), 3);
  const named = admit(open, 'msg_a', at(10), LEASE, BACKSTOP).next!;
  // msg_a's lease runs to the probe time plus the lease; after that msg_b may probe.
  expect(admit(named, 'msg_b', at(40), LEASE, BACKSTOP).admission).toMatchObject({ admit: false });
  expect(admit(named, 'msg_b', at(46), LEASE, BACKSTOP).admission).toEqual({ admit: true, probe: true });
});

test("the probe's success closes the circuit; its failure opens it twice as long, up to the most", () => {
  const open = failTimes(closedCircuit(t0), 3);
  const probing = admit(admit(open, 'msg_a', at(10), LEASE, BACKSTOP).next!, 'msg_a', at(33), LEASE, BACKSTOP).next!;
  const closed = afterAttempt(probing, 'success', undefined, at(34), policy, LEASE);
  expect(closed.transition).toBe('closed');
  expect(closed.next).toEqual(closedCircuit(at(34)));

  const reopened = afterAttempt(probing, 'failure', 'HTTP 502', at(34), policy, LEASE);
  expect(reopened.transition).toBe('reopened');
  expect(reopened.next).toMatchObject({ state: 'open', cooldown_s: 60, next_probe_at: at(94).toISOString(), prober: 'msg_a' });
  const again = afterAttempt({ ...reopened.next, state: 'half_open' }, 'failure', 'HTTP 502', at(95), policy, LEASE);
  expect(again.next.cooldown_s).toBe(100); // 120, capped
});

test('a threshold of 0 never opens the circuit', () => {
  const never = { ...policy, failure_threshold: 0 };
  let circuit = closedCircuit(t0);
  for (let i = 0; i < 50; i++) circuit = afterAttempt(circuit, 'failure', 'x', at(i), never, LEASE).next;
  expect(circuit.state).toBe('closed');
});

test('an outage keeps its start across failed probes; the first failed probe after disable_after_s disables', () => {
  const disabling = { ...policy, disable_after_s: 200 };
  const open = failTimes(closedCircuit(t0), 3); // opens at 2 s
  expect(open.outage_since).toBe(at(2).toISOString());
  const probe = (c: Circuit, s: number) => admit(c, 'msg_a', at(s), LEASE, BACKSTOP).next!;
  const first = afterAttempt(probe(open, 40), 'failure', 'HTTP 502', at(40), disabling, LEASE);
  expect(first.transition).toBe('reopened');
  expect(first.next.outage_since).toBe(at(2).toISOString());
  const second = afterAttempt(probe(first.next, 150), 'failure', 'HTTP 502', at(150), disabling, LEASE);
  expect(second.transition).toBe('reopened'); // 148 s of outage
  const third = afterAttempt(probe(second.next, 260), 'failure', 'HTTP 502', at(260), disabling, LEASE);
  expect(third.transition).toBe('disabled'); // 258 s, the first probe after 200 s
  // A success ends the outage: the next one starts afresh.
  expect(afterAttempt(probe(second.next, 255), 'success', undefined, at(255), disabling, LEASE).next.outage_since).toBeUndefined();
  // 0 never disables, however long.
  expect(afterAttempt(probe(second.next, 10_000), 'failure', 'x', at(10_000), policy, LEASE).transition).toBe('reopened');
});
