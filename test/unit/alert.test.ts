// The inbound alert (README "Send an alert"): defaults, pass-through of unknown fields, and errors
// that name the field path a user has to fix.
import { ALERT_ID_PATTERN, inboundAlertSchema, workflowIdFor } from '../../src/domain/alert';

/** The failing field paths ("event.type", "labels.env"), or [] when the input is valid. */
function badPaths(input: unknown): string[] {
  const parsed = inboundAlertSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

function messageFor(input: unknown, path: string): string | undefined {
  const parsed = inboundAlertSchema.safeParse(input);
  return parsed.success ? undefined : parsed.error.issues.find((issue) => issue.path.join('.') === path)?.message;
}

describe('inboundAlertSchema', () => {
  test('only a title is required; everything else has a default', () => {
    expect(inboundAlertSchema.parse({ title: 'Disk full' })).toEqual({
      title: 'Disk full',
      severity: 'warning',
      labels: {},
      event: { type: 'generic' },
      links: {},
      destinations: [],
    });
  });

  test('the example alert of the README parses as sent', () => {
    const example = {
      id: 'alert_abc123',
      title: 'Production Schema Changes',
      description: 'A column was removed',
      severity: 'critical',
      labels: { env: 'production' },
      event: {
        type: 'schema_change',
        change_type: 'column_removed',
        asset: { qualified_name: 'production.public.orders', asset_type: 'table' },
        details: { column_name: 'shipping_status', column_type: 'varchar' },
      },
      links: { alert_url: 'https://app.example.com/alerts/alert_abc123' },
      destinations: ['dst_1'],
    };
    expect(inboundAlertSchema.parse(example)).toEqual(example);
  });

  test('fields beyond the known ones are kept, at the top level and inside event and asset', () => {
    const parsed = inboundAlertSchema.parse({
      title: 't',
      team: 'data',
      score: 3,
      event: { type: 'x', correlation_id: 'c1', asset: { qualified_name: 'db.t', owner: 'me' } },
    });
    expect(parsed).toMatchObject({ team: 'data', score: 3, event: { correlation_id: 'c1', asset: { owner: 'me' } } });
  });

  test('the title is trimmed', () => {
    expect(inboundAlertSchema.parse({ title: '  Disk full \n' }).title).toBe('Disk full');
  });

  test.each(['critical', 'error', 'warning', 'info'])('severity %s is accepted', (severity) => {
    expect(inboundAlertSchema.parse({ title: 't', severity }).severity).toBe(severity);
  });

  test.each(['alert_abc123', 'a', '9', 'a:b.c-d_e', 'A'.repeat(200)])('id %j is accepted', (id) => {
    expect(inboundAlertSchema.parse({ id, title: 't' }).id).toBe(id);
    expect(ALERT_ID_PATTERN.test(id)).toBe(true);
  });

  test.each([
    ['with a space', 'bad id'],
    ['empty', ''],
    ['starting with "-"', '-abc'],
    ['starting with "_"', '_abc'],
    ['with a slash', 'a/b'],
    ['with a newline', 'a\nb'],
    ['non-ASCII', 'alërt'],
    ['201 characters', 'A'.repeat(201)],
  ])('an id %s is refused with a readable reason', (_label, id) => {
    expect(badPaths({ id, title: 't' })).toEqual(['id']);
    expect(messageFor({ id, title: 't' }, 'id')).toMatch(/letters, digits/);
  });

  test('an id that is not a string is refused at id', () => {
    expect(badPaths({ id: 42, title: 't' })).toEqual(['id']);
  });

  test.each([
    ['missing', {}],
    ['null', { title: null }],
    ['empty', { title: '' }],
    ['only spaces', { title: '   ' }],
    ['a number', { title: 7 }],
    ['too long', { title: 'x'.repeat(501) }],
  ])('a title that is %s is refused at title', (_label, input) => {
    expect(badPaths(input)).toEqual(['title']);
  });

  test.each([
    [{ title: 't', severity: 'urgent' }, 'severity'],
    [{ title: 't', severity: 'CRITICAL' }, 'severity'],
    [{ title: 't', description: 5 }, 'description'],
    [{ title: 't', labels: { env: 1 } }, 'labels.env'],
    [{ title: 't', labels: ['env'] }, 'labels'],
    [{ title: 't', event: 'schema_change' }, 'event'],
    [{ title: 't', event: { type: 5 } }, 'event.type'],
    [{ title: 't', event: { type: '' } }, 'event.type'],
    [{ title: 't', event: {} }, 'event.type'],
    [{ title: 't', event: { type: 'x', asset: { qualified_name: 3 } } }, 'event.asset.qualified_name'],
    [{ title: 't', event: { type: 'x', asset: {} } }, 'event.asset.qualified_name'],
    [{ title: 't', event: { type: 'x', details: 'n/a' } }, 'event.details'],
    [{ title: 't', links: { alert_url: 1 } }, 'links.alert_url'],
    [{ title: 't', destinations: 'dst_1' }, 'destinations'],
    [{ title: 't', destinations: ['dst_1', ''] }, 'destinations.1'],
    [{ title: 't', rule_name: ['r'] }, 'rule_name'],
  ])('%j is refused at %s', (input, path) => {
    expect(badPaths(input)).toEqual([path]);
  });

  test('every bad field is named at once', () => {
    expect(badPaths({ id: 'no spaces please', severity: 'loud', event: { type: 1 } }).sort()).toEqual(['event.type', 'id', 'severity', 'title']);
  });

  test('no more than 100 explicit destinations', () => {
    expect(badPaths({ title: 't', destinations: Array.from({ length: 100 }, (_, i) => `d${i}`) })).toEqual([]);
    expect(badPaths({ title: 't', destinations: Array.from({ length: 101 }, (_, i) => `d${i}`) })).toEqual(['destinations']);
  });
});

test('the workflow ID is alert:<id>', () => {
  expect(workflowIdFor('alert_abc123')).toBe('alert:alert_abc123');
});
