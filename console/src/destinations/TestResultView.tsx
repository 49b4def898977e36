// The invocation data of "Send test": what was sent (secrets masked), what came back, and why it failed.
import { Dot } from '../components/Dot';
import { Json } from '../components/Json';
import { duration } from '../components/time';
import type { TestResult } from '../types';

export function TestResultView({ result, title }: { result: TestResult; title: string }) {
  const { request, response } = result;
  return (
    <section class="panel" aria-label={title}>
      <h3>{title}</h3>
      <dl class="facts">
        <dt>Result</dt>
        <dd>
          <Dot tone={result.success ? 'ok' : 'bad'} label={result.success ? 'success' : 'failed'} />
        </dd>
        {result.status_code !== undefined && (
          <>
            <dt>Status</dt>
            <dd>{result.status_code}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>{duration(result.duration_ms)}</dd>
        {result.error && (
          <>
            <dt>Error</dt>
            <dd class="error">{result.error}</dd>
          </>
        )}
        {result.note && (
          <>
            <dt>Note</dt>
            <dd>{result.note}</dd>
          </>
        )}
        {result.incident && (
          <>
            <dt>Incident</dt>
            <dd>
              {result.incident.provider} {result.incident.reference ?? result.incident.id} ({result.incident.status})
            </dd>
          </>
        )}
      </dl>
      {result.validators.length > 0 && (
        <table>
          <caption>Response validators</caption>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Expected</th>
              <th scope="col">Actual</th>
              <th scope="col">Passed</th>
            </tr>
          </thead>
          <tbody>
            {result.validators.map((v) => (
              <tr key={v.path}>
                <td>
                  <code>{v.path}</code>
                </td>
                <td>{JSON.stringify(v.expected)}</td>
                <td>{v.error ?? JSON.stringify(v.actual)}</td>
                <td>{v.passed ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {request && (
        <details open>
          <summary>
            Request: {request.method} {request.url}
          </summary>
          <Headers headers={request.headers} caption="Request headers" />
          <Json value={request.body} label="Request body" />
        </details>
      )}
      {response && (
        <details open>
          <summary>Response: {response.status}</summary>
          <Headers headers={response.headers} caption="Response headers" />
          <Json value={response.body} label="Response body" />
          {response.truncated && <p class="help">The body was cut short.</p>}
        </details>
      )}
    </section>
  );
}

function Headers({ headers, caption }: { headers: Record<string, string>; caption: string }) {
  return (
    <table class="headers">
      <caption>{caption}</caption>
      <tbody>
        {Object.entries(headers).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
