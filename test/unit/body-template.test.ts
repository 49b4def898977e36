import { lookup, renderTemplate, templateProblems } from '../../src/domain/template';

const event = {
  event_type: 'alert.triggered',
  alert: { id: 'a1', severity: 'critical', labels: { env: 'prod' }, count: 3, ok: true },
  event: { type: 'schema_change', details: { columns: ['a', 'b'] } },
};

test('a leaf that is only a placeholder keeps its JSON type; text gets text', () => {
  expect(
    renderTemplate(
      { n: '{{alert.count}}', b: '{{ alert.ok }}', o: '{{alert.labels}}', s: 'sev={{alert.severity}} n={{alert.count}} o={{alert.labels}}', i: '{{event.details.columns[1]}}', d: '{{event.details.columns.0}}' },
      event,
    ),
  ).toEqual({ n: 3, b: true, o: { env: 'prod' }, s: 'sev=critical n=3 o={"env":"prod"}', i: 'b', d: 'a' });
});

test('missing paths render as null for a whole leaf and "" inside text, never an error', () => {
  expect(renderTemplate({ a: '{{alert.nope}}', b: 'x{{nope.deeper.still}}y', c: ['{{event.details.columns[9]}}'] }, event)).toEqual({ a: null, b: 'xy', c: [null] });
});

test('non-string leaves and nested structures pass through', () => {
  expect(renderTemplate({ n: 1, f: false, z: null, arr: [{ k: '{{event.type}}' }] }, event)).toEqual({ n: 1, f: false, z: null, arr: [{ k: 'schema_change' }] });
});

test('paths never reach prototype properties', () => {
  expect(lookup(event, 'alert.constructor')).toBeUndefined();
  expect(lookup(event, '__proto__')).toBeUndefined();
  expect(renderTemplate('{{alert.toString}}', event)).toBeNull();
});

test('problems name the leaf: bad paths, expressions and unbalanced braces', () => {
  expect(templateProblems({ ok: '{{alert.id}} and {{ event.type }}', a: { b: ['{{alert id}}'] }, c: '{{alert.id', d: 'x}}', e: '{{alert.id | upper}}', f: '{{}}' })).toEqual([
    { path: ['a', 'b', '0'], message: expect.stringContaining('{{alert id}}') },
    { path: ['c'], message: expect.stringContaining('unbalanced') },
    { path: ['d'], message: expect.stringContaining('unbalanced') },
    { path: ['e'], message: expect.stringContaining('not a placeholder path') },
    { path: ['f'], message: expect.stringContaining('not a placeholder path') },
  ]);
  expect(templateProblems({ fine: 'no placeholders', n: 3 })).toEqual([]);
});
