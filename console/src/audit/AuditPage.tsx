// The audit log: who (by key id) changed what and when, newest first, a page at a time. Values are
// as the API shows them, secrets masked.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { useLoad } from '../hooks';
import { href } from '../router';

type AuditEntry = {
  id: string;
  at: string;
  key_id: string;
  action: string;
  target: { type: 'destination' | 'rule' | 'alert' | 'silence' | 'inhibit_rule'; id: string };
  changes?: Record<string, { from?: unknown; to?: unknown }>;
  link?: string;
};

const shown = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function targetLink(t: AuditEntry['target']) {
  if (t.type === 'inhibit_rule') return <code>{t.id}</code>; // no page of its own: GET /v1/inhibit-rules
  if (t.type === 'silence') return <a href={href('/silences')}>{t.id}</a>;
  const path = { destination: '/destinations', rule: '/rules', alert: '/alerts' }[t.type];
  return <a href={href(`${path}/${encodeURIComponent(t.id)}`)}>{t.id}</a>;
}

export function AuditPage() {
  const [pages, setPages] = useState<string[]>([]); // page tokens of the pages before this one
  const token = pages.at(-1);
  const log = useLoad(() => api<{ data: AuditEntry[]; next_page_token?: string }>('GET', `/audit${query({ page_size: '50', page_token: token })}`), [token]);
  return (
    <main>
      <h2>Audit log</h2>
      <p>Every change of destinations and rules, secret reads and rotations, and resolves, dismissals and redeliveries, by the id of the key that made them.</p>
      <ErrorNote error={log.error} />
      {log.loading && <Busy label="Loading the audit log…" />}
      {log.data && log.data.data.length === 0 && <p>Nothing recorded yet.</p>}
      {log.data && log.data.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Key</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {log.data.data.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>
                  <code>{e.key_id}</code>
                </td>
                <td>{e.action}</td>
                <td>
                  {e.target.type} {targetLink(e.target)}
                </td>
                <td>
                  {e.changes
                    ? Object.entries(e.changes).map(([field, c]) => (
                        <div key={field}>
                          <code>{field}</code>: {shown(c.from)} → {shown(c.to)}
                        </div>
                      ))
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        {pages.length > 0 && (
          <button type="button" onClick={() => setPages(pages.slice(0, -1))}>
            Newer
          </button>
        )}
        {log.data?.next_page_token && (
          <button type="button" onClick={() => setPages([...pages, log.data!.next_page_token!])}>
            Older
          </button>
        )}
      </p>
    </main>
  );
}
