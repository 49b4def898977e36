// How a destination lane's word and the alert's one-word delivery state are derived (GET /v1/alerts/{id}).
import { deliveryState, laneState, type LaneSummary } from '../../src/domain/alert-state';

const summary = (s: Partial<LaneSummary>): LaneSummary => ({ anyFailed: false, nothingSent: false, behind: false, ...s });

describe('laneState', () => {
  test('a lane that handled no event yet is pending', () => {
    expect(laneState(summary({}))).toBe('pending');
  });

  test('a failed event keeps the lane failed, whatever came after', () => {
    expect(laneState(summary({ latest: 'delivered', anyFailed: true }))).toBe('failed');
    expect(laneState(summary({ latest: 'retrying', anyFailed: true }))).toBe('failed');
  });

  test('the newest event says where the lane is, unless newer events wait', () => {
    expect(laneState(summary({ latest: 'retrying' }))).toBe('retrying');
    expect(laneState(summary({ latest: 'retrying', behind: true }))).toBe('retrying');
    expect(laneState(summary({ latest: 'delivered' }))).toBe('delivered');
    expect(laneState(summary({ latest: 'delivered', behind: true }))).toBe('pending');
  });

  test('filtered and superseded events count as done; a lane that filtered everything says so', () => {
    expect(laneState(summary({ latest: 'filtered' }))).toBe('delivered');
    expect(laneState(summary({ latest: 'filtered', nothingSent: true }))).toBe('filtered');
    expect(laneState(summary({ latest: 'superseded' }))).toBe('delivered');
    expect(laneState(summary({ latest: 'filtered', nothingSent: true, behind: true }))).toBe('pending');
  });

  test('a mute window: held while it holds the newest event; muted when it dropped it and nothing was sent', () => {
    expect(laneState(summary({ latest: 'held' }))).toBe('held');
    expect(laneState(summary({ latest: 'held', behind: true }))).toBe('held');
    expect(laneState(summary({ latest: 'muted', nothingSent: true }))).toBe('muted');
    expect(laneState(summary({ latest: 'muted' }))).toBe('delivered'); // an update dropped after a sent trigger
    expect(deliveryState(['delivered', 'held'])).toBe('pending');
    expect(deliveryState(['delivered', 'muted'])).toBe('delivered');
  });
});

describe('deliveryState', () => {
  test('the worst lane names the alert: failed, then retrying, then pending', () => {
    expect(deliveryState(['delivered', 'failed', 'retrying'])).toBe('failed');
    expect(deliveryState(['delivered', 'retrying', 'pending'])).toBe('retrying');
    expect(deliveryState(['delivered', 'pending'])).toBe('pending');
    expect(deliveryState(['delivered', 'filtered'])).toBe('delivered');
  });

  test('an alert routed nowhere owes nothing', () => {
    expect(deliveryState([])).toBe('delivered');
  });
});
