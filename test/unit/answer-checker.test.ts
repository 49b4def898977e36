// The check test/integration/openapi-answers.test.ts runs on every answer refuses what the
// description does not allow: an undocumented status or operation, another media type, a body
// where none is documented, a wrong value, a missing field, and a field the description does not name.
import { openApiDocument } from '../../src/api/openapi';
import { AnswerChecker, type Answer, type OpenApiDocument } from '../support/answer-checker';

const checker = new AnswerChecker(openApiDocument() as unknown as OpenApiDocument);
const json = 'application/json; charset=utf-8';
const accepted = { id: 'a1', workflow_id: 'alert:a1', action: 'resolve', accepted: true };
const answer = (over: Partial<Answer>): Answer => ({ method: 'POST', path: '/v1/alerts/{id}/resolve', status: 202, contentType: json, body: JSON.stringify(accepted), ...over });

test('a documented answer passes', () => {
  expect(checker.problems(answer({}))).toEqual([]);
  expect(checker.problems({ method: 'DELETE', path: '/v1/rules/{id}', status: 204, contentType: null, body: '' })).toEqual([]);
  expect(checker.problems({ method: 'GET', path: '/metrics', status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' })).toEqual([]);
  expect(checker.problems(answer({ status: 404, body: JSON.stringify({ error: { code: 'alert_not_found', message: 'no alert a1' } }) }))).toEqual([]);
});

test('a tampered answer is refused, saying why', () => {
  expect(checker.problems(answer({ status: 418 }))).toEqual([expect.stringContaining('the status is not documented')]);
  expect(checker.problems(answer({ path: '/v1/alerts/{id}/snooze' }))).toEqual([expect.stringContaining('no such operation')]);
  expect(checker.problems(answer({ contentType: 'text/html' }))).toEqual([expect.stringContaining('documented application/json')]);
  expect(checker.problems(answer({ body: '<html>' }))).toEqual([expect.stringContaining('not JSON')]);
  expect(checker.problems(answer({ body: JSON.stringify({ ...accepted, accepted: false }) }))).toEqual([expect.stringContaining('/accepted')]);
  expect(checker.problems(answer({ body: JSON.stringify({ ...accepted, action: 'snooze' }) }))).toEqual([expect.stringContaining('/action')]);
  const { id: _id, ...withoutId } = accepted;
  expect(checker.problems(answer({ body: JSON.stringify(withoutId) }))).toEqual([expect.stringContaining("must have required property 'id'")]);
  // The description leaves objects open; Herald's own answers must not carry what it does not name.
  expect(checker.problems(answer({ body: JSON.stringify({ ...accepted, secret: 'x' }) }))).toEqual([expect.stringContaining('additional properties')]);
  expect(checker.problems({ method: 'DELETE', path: '/v1/rules/{id}', status: 204, contentType: json, body: '{}' })).toEqual([expect.stringContaining('documented without a body')]);
  expect(checker.problems({ method: 'GET', path: '/metrics', status: 200, contentType: json, body: '{}' })).toEqual([expect.stringContaining('documented text/plain')]);
});

test('every operation is listed, keyed routes and open ones alike', () => {
  const operations = checker.operations();
  expect(operations).toEqual(expect.arrayContaining(['GET /healthz', 'POST /v1/alerts', 'GET /v1/heartbeats/{name}/ping/{token}', 'DELETE /v1/destinations/{id}']));
  expect(operations.length).toBeGreaterThan(50);
});
