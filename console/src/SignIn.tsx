// Sign-in: the key is checked against the API once, then kept for this browser tab only.
import { useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { Busy } from './components/Busy';
import { useAction } from './hooks';
import { session } from './session';

export function SignIn({ onSignedIn, reason }: { onSignedIn: () => void; reason?: string }) {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('GET', '/rules', undefined, key.trim()))) {
      session.set(key.trim());
      onSignedIn();
    }
  };
  const refused = action.error instanceof ApiError && action.error.status === 401;
  return (
    <main class="signin">
      <h2>Sign in</h2>
      <form onSubmit={submit}>
        {reason && <p role="status">{reason}</p>}
        <p class="field">
          <label for="api-key">API key</label>
          <input id="api-key" type="password" value={key} onInput={(e) => setKey(e.currentTarget.value)} autoComplete="off" required aria-describedby="api-key-help" />
          <small id="api-key-help" class="help">
            One of HERALD_API_KEYS; <code>npm start</code> prints it and keeps it in <code>data/api-key</code>. It is kept for this tab only.
          </small>
        </p>
        <p class="buttons">
          <button class="primary" disabled={action.busy || !key.trim()}>
            Sign in
          </button>
        </p>
        {action.busy && <Busy label="Checking the key…" />}
        {action.error && (
          <p role="alert" class="error-note">
            {refused ? 'Herald refused this key.' : action.error.message}
          </p>
        )}
      </form>
    </main>
  );
}
