// The nesting limit on request bodies.
import { nestsDeeperThan } from '../../src/domain/json-depth';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

test('counts objects and arrays alike; scalars add no level', () => {
  expect(nestsDeeperThan(nested(32), 32)).toBe(false);
  expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  expect(nestsDeeperThan('text', 0)).toBe(false);
  expect(nestsDeeperThan({ a: 1, b: [1, 2, { c: null }] }, 3)).toBe(false);
  expect(nestsDeeperThan({ a: 1, b: [1, 2, { c: {} }] }, 3)).toBe(true);
});

test('a hundred thousand levels are measured without overflowing the stack', () => {
  expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
});
