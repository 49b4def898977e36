// The escalation schedule and the record GET shows (src/domain/escalation.ts).
import { escalationPolicyInputSchema, escalationView, type EscalationRecord } from '../../src/domain/escalation';
import { nextEscalationStep, stepLabel } from '../../src/domain/escalation-steps';

const timings = { stepWaitsMs: [0, 600_000, 1_200_000], repeat: 1, repeatAfterMs: 1_800_000 };

test('each step waits its own after_s after the one before; a repeat begins repeat_after_s after the last step', () => {
  expect(nextEscalationStep(timings, { cycle: 0, step: 0 })).toEqual({ cursor: { cycle: 0, step: 0 }, waitMs: 0 });
  expect(nextEscalationStep(timings, { cycle: 0, step: 2 })).toEqual({ cursor: { cycle: 0, step: 2 }, waitMs: 1_200_000 });
  expect(nextEscalationStep(timings, { cycle: 0, step: 3 })).toEqual({ cursor: { cycle: 1, step: 0 }, waitMs: 1_800_000 });
  expect(nextEscalationStep(timings, { cycle: 1, step: 3 })).toBeUndefined();
  expect(nextEscalationStep({ ...timings, repeat: 0 }, { cycle: 0, step: 3 })).toBeUndefined();
  expect(stepLabel({ cycle: 0, step: 1 })).toBe('step 2');
  expect(stepLabel({ cycle: 2, step: 0 })).toBe('step 1 (repeat 2)');
});

test('a policy that repeats must say after how long; bad fields are named', () => {
  const ok = { name: 'p', steps: [{ after_s: 0, destination_ids: ['dst_1'] }] };
  expect(escalationPolicyInputSchema.parse(ok)).toMatchObject({ repeat: 0 });
  const repeat = escalationPolicyInputSchema.safeParse({ ...ok, repeat: 2 });
  expect(repeat.success).toBe(false);
  expect(repeat.error!.issues.map((i) => i.path.join('.'))).toEqual(['repeat_after_s']);
  const bad = escalationPolicyInputSchema.safeParse({ name: 'p', steps: [{ after_s: -1, destination_ids: [] }] });
  expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['steps.0.after_s', 'steps.0.destination_ids']);
  expect(escalationPolicyInputSchema.safeParse({ name: 'p', steps: [] }).success).toBe(false);
});

describe('the record GET shows', () => {
  const record: EscalationRecord = {
    policy: { id: 'esc_1', name: 'Primary', repeat: 0 },
    steps: [
      { after_s: 0, destinations: [{ id: 'dst_1', name: 'slack' }], skipped: [] },
      { after_s: 600, destinations: [{ id: 'dst_2', name: 'pd' }], skipped: [{ destination_id: 'dst_9', reason: 'destination is disabled' }] },
    ],
    fired: [{ step: 1, repeat: 0, at: '2026-12-02T10:00:00.000Z', notified: ['dst_1'], reminded: [], joined_at_sequence: 0 }],
  };

  test('a step not yet fired says why, by the alert\'s status', () => {
    expect(escalationView(record, 'triggered').state).toBe('escalating');
    expect(escalationView(record, 'triggered').steps[1]).toMatchObject({ step: 2, fired: [], not_fired: 'due later' });
    expect(escalationView(record, 'acknowledged')).toMatchObject({ state: 'paused', steps: [{ fired: [{ at: '2026-12-02T10:00:00.000Z' }] }, { not_fired: 'waits: the alert is acknowledged' }] });
    expect(escalationView(record, 'resolved').steps[1]!.not_fired).toBe('the alert was resolved before it was due');
    expect(escalationView(record, 'resolved').steps[0]!.not_fired).toBeUndefined();
  });

  test('every step fired: finished, whatever the status', () => {
    const all = { ...record, fired: [...record.fired, { step: 2, repeat: 0, at: '2026-12-02T10:10:00.000Z', notified: ['dst_2'], reminded: [], joined_at_sequence: 1 }] };
    expect(escalationView(all, 'resolved')).toMatchObject({ state: 'finished' });
    expect(escalationView(all, 'resolved').steps.every((s) => s.not_fired === undefined)).toBe(true);
  });
});
