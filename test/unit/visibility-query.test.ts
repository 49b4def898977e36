// Visibility queries are built in one place, from typed keys, with every value quoted.
import { HeraldStatus } from '../../src/temporal/search-attributes';
import { after, all, equals, oneOf, quote } from '../../src/temporal/visibility-query';

test('values are quoted so no input can change what a query means', () => {
  expect(quote("it's")).toBe("'it\\'s'");
  expect(quote('back\\slash')).toBe("'back\\\\slash'");
  expect(equals('TaskQueue', "herald' OR WorkflowType = 'x")).toBe("TaskQueue = 'herald\\' OR WorkflowType = \\'x'");
});

test('clauses name system attributes or typed search-attribute keys', () => {
  expect(equals(HeraldStatus, 'triggered')).toBe("HeraldStatus = 'triggered'");
  expect(oneOf('ExecutionStatus', ['Terminated', 'Failed'])).toBe("ExecutionStatus IN ('Terminated', 'Failed')");
  expect(after('CloseTime', new Date('2026-12-01T10:00:00Z'))).toBe("CloseTime > '2026-12-01T10:00:00.000Z'");
  expect(all([equals('TaskQueue', 'herald'), oneOf('WorkflowType', ['alertWorkflowV2', 'alertWorkflow'])])).toBe(
    "TaskQueue = 'herald' AND WorkflowType IN ('alertWorkflowV2', 'alertWorkflow')",
  );
});
