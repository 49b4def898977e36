// Workflow code is bundled into the worker's sandbox: what it imports should be what it needs.
import { readFileSync } from 'node:fs';

test('the workflow bundle carries the search-attribute keys, not their registration', () => {
  const code = readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8');
  expect(code).toContain('HeraldStatus');
  expect(code).not.toContain('ensureSearchAttributes');
  expect(code).not.toContain('devServerSearchAttributeFlags');
});

test("the workflow bundle carries Herald's tracing interceptors (src/telemetry/workflow-modules.ts), as the worker's does", () => {
  const code = readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8');
  expect(code).toContain('src/telemetry/workflow/interceptors.ts');
  expect(code).toContain('herald.tracing');
});

test('the workflow bundle carries no schema library: every module a workflow imports runs again for each workflow it starts', () => {
  const code = readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8');
  expect(code).not.toMatch(/node_modules\/zod\//);
});
