// How a destination's state and the alert's one-word delivery state are derived from the events of
// its lanes (DESIGN.md §3 GET /v1/alerts/{id}).
import { deliveryState, laneState, type EventDeliveryState, type Lane } from '../../src/domain/alert-state';
import type { EventType } from '../../src/domain/events';

const ORDER: EventType[] = ['alert.triggered', 'alert.resolved', 'alert.dismissed'];

/** A lane whose events, in order, are in the given states. */
function lane(...states: EventDeliveryState[]): Lane {
  return {
    destination_id: 'dst_1',
    name: 'ops-hook',
    type: 'webhook',
    rules: [],
    events: states.map((state, i) => ({ event_type: ORDER[i % ORDER.length]!, state, attempts: [] })),
  };
}

describe('laneState', () => {
  test('a lane with no events yet is pending', () => {
    expect(laneState(lane())).toBe('pending');
  });

  test.each(['pending', 'delivering', 'retrying', 'delivered', 'failed'] as const)('a single %s event gives its state to the lane', (state) => {
    expect(laneState(lane(state))).toBe(state);
  });

  test('the lane is where its latest sent event is', () => {
    expect(laneState(lane('delivered', 'pending'))).toBe('pending');
    expect(laneState(lane('delivered', 'delivering'))).toBe('delivering');
    expect(laneState(lane('delivered', 'retrying'))).toBe('retrying');
    expect(laneState(lane('delivered', 'delivered'))).toBe('delivered');
  });

  test('a failed event keeps the lane failed, even after later events are delivered', () => {
    expect(laneState(lane('failed', 'delivered'))).toBe('failed');
    expect(laneState(lane('failed', 'retrying'))).toBe('failed');
    expect(laneState(lane('delivered', 'failed'))).toBe('failed');
  });

  test('filtered-out events are ignored; a lane that filtered out everything is skipped', () => {
    expect(laneState(lane('delivered', 'skipped'))).toBe('delivered');
    expect(laneState(lane('skipped', 'retrying'))).toBe('retrying');
    expect(laneState(lane('retrying', 'skipped'))).toBe('retrying');
    expect(laneState(lane('skipped'))).toBe('skipped');
    expect(laneState(lane('skipped', 'skipped'))).toBe('skipped');
    expect(laneState(lane('skipped', 'failed', 'skipped'))).toBe('failed');
  });
});

describe('deliveryState', () => {
  test('an alert with no lanes has nothing left to deliver', () => {
    expect(deliveryState([])).toBe('delivered');
  });

  test('delivered when every lane delivered or filtered its events out', () => {
    expect(deliveryState([lane('delivered')])).toBe('delivered');
    expect(deliveryState([lane('delivered'), lane('skipped')])).toBe('delivered');
    expect(deliveryState([lane('skipped'), lane('skipped')])).toBe('delivered');
  });

  test('pending while any lane has not finished and none is retrying or failed', () => {
    expect(deliveryState([lane()])).toBe('pending');
    expect(deliveryState([lane('delivered'), lane('pending')])).toBe('pending');
    expect(deliveryState([lane('delivered'), lane('delivering')])).toBe('pending');
    expect(deliveryState([lane('skipped'), lane()])).toBe('pending');
  });

  test('retrying outranks pending and delivered', () => {
    expect(deliveryState([lane('delivering'), lane('retrying')])).toBe('retrying');
    expect(deliveryState([lane('delivered'), lane('delivered', 'retrying')])).toBe('retrying');
  });

  test('failed outranks everything', () => {
    expect(deliveryState([lane('retrying'), lane('failed')])).toBe('failed');
    expect(deliveryState([lane('delivered'), lane('pending'), lane('failed', 'delivered')])).toBe('failed');
  });

  test('lane order does not matter', () => {
    const lanes = [lane('delivered'), lane('retrying'), lane('pending'), lane('skipped')];
    expect(deliveryState(lanes)).toBe('retrying');
    expect(deliveryState([...lanes].reverse())).toBe('retrying');
  });
});
