// What an audit entry records as changed.
import { changesBetween } from '../../src/domain/audit';

test('only the fields that differ, nested ones under dotted paths', () => {
  const before = { name: 'hook', enabled: true, config: { url: 'https://a.example/hook', auth: { type: 'bearer', token: '••••abcd' } }, retry_schedule: [0, 60] };
  const after = { name: 'hook', enabled: false, config: { url: 'https://b.example/hook', auth: { type: 'bearer', token: '••••abcd' } }, retry_schedule: [0, 30] };
  expect(changesBetween(before, after)).toEqual({
    enabled: { from: true, to: false },
    'config.url': { from: 'https://a.example/hook', to: 'https://b.example/hook' },
    retry_schedule: { from: [0, 60], to: [0, 30] },
  });
});

test('a creation has only `to`, a deletion only `from`; ignored fields never appear', () => {
  const rule = { id: 'rul_1', name: 'prod', created_at: 'x', updated_at: 'y' };
  expect(changesBetween(undefined, rule, ['created_at', 'updated_at'])).toEqual({ id: { to: 'rul_1' }, name: { to: 'prod' } });
  expect(changesBetween(rule, undefined, ['created_at', 'updated_at'])).toEqual({ id: { from: 'rul_1' }, name: { from: 'prod' } });
  expect(changesBetween(rule, { ...rule, updated_at: 'z' }, ['created_at', 'updated_at'])).toEqual({});
});
