// src/domain/routing.ts: rule matching, asset globs, destination filters and the action of each
// event type. (test/unit/rule-matching.test.ts holds the first, shorter set of cases.)
import { ACTIONS, actionOf, filterAllows, globMatches, ruleMatches, type DestinationFilters, type Subject } from '../../src/domain/routing';
import type { EventType } from '../../src/domain/events';

const alert: Subject = {
  severity: 'critical',
  labels: { env: 'production', team: 'data' },
  event: { type: 'schema_change', asset: { qualified_name: 'production.public.orders' } },
};

describe('globMatches', () => {
  test.each([
    ['production.public.orders', 'production.public.orders', true],
    ['production.public.order', 'production.public.orders', false], // the whole name, not a prefix
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'x', false],
    ['?', '', false],
    ['?', 'ab', false],
    ['???', 'abc', true],
    ['production.*', 'production.', true], // `*` may match nothing
    ['*.orders', 'production.public.orders', true],
    ['*orders*', 'production.public.orders_v2', true],
    ['prod*public*ord?rs', 'production.public.orders', true],
    ['a*b*c', 'a-c-b', false],
    ['**', 'x', true],
    ['[abc]', 'a', false], // character classes are literal
    ['[abc]', '[abc]', true],
    ['a\\*', 'a\\bc', true], // a backslash escapes nothing: it is a literal, `*` still a wildcard
    ['$^.+', '$^.+', true],
    ['?', 'é', true],
    ['?', '🦆', true], // one character, even outside the BMP
    ['??', '🦆', false],
    ['line*', 'line one\nline two', true],
  ])('%j against %j → %s', (glob, text, expected) => {
    expect(globMatches(glob, text)).toBe(expected);
  });

  // A backtracking regex took 29.5 s for the first of these at 100 characters; the linear scan answers
  // at once. No timed assertion: a regression shows as this test hitting jest's timeout.
  test('pathological globs finish (no backtracking blow-up)', () => {
    expect(globMatches('*a*a*a*a*a*a*a*a*b', 'a'.repeat(1000))).toBe(false);
    expect(globMatches(`${'*a'.repeat(200)}`, 'a'.repeat(1000))).toBe(true);
    expect(globMatches('?'.repeat(999) + '*b', 'a'.repeat(1000))).toBe(false);
  }, 5000);
});

describe('ruleMatches', () => {
  test('every condition set must hold', () => {
    const match = { event_types: ['schema_change'], severities: ['critical'], asset: 'production.*', labels: { env: 'production' } };
    expect(ruleMatches(match, alert)).toBe(true);
    expect(ruleMatches(match, { ...alert, severity: 'error' })).toBe(false);
    expect(ruleMatches(match, { ...alert, event: { ...alert.event, type: 'freshness' } })).toBe(false);
    expect(ruleMatches(match, { ...alert, labels: { env: 'staging' } })).toBe(false);
    expect(ruleMatches(match, { ...alert, event: { type: 'schema_change', asset: { qualified_name: 'staging.orders' } } })).toBe(false);
  });

  test('empty lists and empty labels match everything', () => {
    expect(ruleMatches({ event_types: [], severities: [], labels: {} }, alert)).toBe(true);
  });

  test('labels must be present with equal values; extra alert labels do not matter', () => {
    expect(ruleMatches({ labels: { env: 'production' } }, alert)).toBe(true);
    expect(ruleMatches({ labels: { region: 'eu' } }, alert)).toBe(false);
    expect(ruleMatches({ labels: { env: 'Production' } }, alert)).toBe(false); // values are exact
    expect(ruleMatches({ labels: { env: '' } }, { ...alert, labels: {} })).toBe(false);
  });

  test('an asset condition needs an asset', () => {
    expect(ruleMatches({ asset: '*' }, { ...alert, event: { type: 'schema_change' } })).toBe(false);
    expect(ruleMatches({}, { ...alert, event: { type: 'schema_change' } })).toBe(true);
  });
});

describe('actionOf', () => {
  test('maps each alert event type to its action', () => {
    const cases: [EventType, string | undefined][] = [
      ['alert.triggered', 'triggered'],
      ['alert.updated', 'updated'],
      ['alert.acknowledged', 'acknowledged'],
      ['alert.unacknowledged', 'unacknowledged'],
      ['alert.escalated', 'escalated'],
      ['alert.resolved', 'resolved'],
      ['alert.dismissed', 'dismissed'],
      ['alert.expired', 'resolved'], // an expiry closes the alert as a resolve does
      ['test', undefined],
    ];
    for (const [type, action] of cases) expect(actionOf(type)).toBe(action);
    expect(ACTIONS).toEqual(['triggered', 'updated', 'acknowledged', 'unacknowledged', 'escalated', 'resolved', 'dismissed']);
  });
});

describe('filterAllows', () => {
  test('no filters, or empty ones, allow every event', () => {
    for (const type of ['alert.triggered', 'alert.updated', 'alert.resolved', 'alert.dismissed', 'alert.expired'] as const) {
      expect(filterAllows(undefined, alert, type)).toBe(true);
      expect(filterAllows({}, alert, type)).toBe(true);
      expect(filterAllows({ actions: [], event_types: [], severities: [], labels: {} }, alert, type)).toBe(true);
    }
  });

  test('actions pick events by what happened to the alert', () => {
    const filters = { actions: ['resolved', 'dismissed'] } satisfies DestinationFilters;
    expect(filterAllows(filters, alert, 'alert.triggered')).toBe(false);
    expect(filterAllows(filters, alert, 'alert.updated')).toBe(false);
    expect(filterAllows(filters, alert, 'alert.resolved')).toBe(true);
    expect(filterAllows(filters, alert, 'alert.dismissed')).toBe(true);
    expect(filterAllows(filters, alert, 'alert.expired')).toBe(true);
    expect(filterAllows({ actions: ['updated'] }, alert, 'alert.updated')).toBe(true);
    expect(filterAllows({ actions: ['triggered'] }, alert, 'alert.expired')).toBe(false);
  });

  test('event types, severities and labels apply to every action', () => {
    const filters = { event_types: ['schema_change'], severities: ['critical', 'error'], labels: { team: 'data' } };
    expect(filterAllows(filters, alert, 'alert.triggered')).toBe(true);
    expect(filterAllows(filters, alert, 'alert.resolved')).toBe(true);
    expect(filterAllows(filters, { ...alert, severity: 'warning' }, 'alert.resolved')).toBe(false);
    expect(filterAllows(filters, { ...alert, labels: { team: 'web' } }, 'alert.triggered')).toBe(false);
    expect(filterAllows(filters, { ...alert, labels: {} }, 'alert.triggered')).toBe(false);
    expect(filterAllows(filters, { ...alert, event: { type: 'freshness' } }, 'alert.triggered')).toBe(false);
  });

  test('all conditions together: the action and the alert must both pass', () => {
    const filters = { actions: ['triggered'], severities: ['critical'] } satisfies DestinationFilters;
    expect(filterAllows(filters, alert, 'alert.triggered')).toBe(true);
    expect(filterAllows(filters, alert, 'alert.resolved')).toBe(false);
    expect(filterAllows(filters, { ...alert, severity: 'info' }, 'alert.triggered')).toBe(false);
  });
});
