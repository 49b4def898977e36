// Loading and acting on the API from components, with the states a page shows (loading, error, busy).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

export type Loaded<T> = { data?: T; error?: Error; loading: boolean; reload: () => Promise<void> };

/** Runs `load` when `deps` change; `reload` runs it again without clearing what is shown. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const reload = useCallback(async () => {
    try {
      const data = await load();
      setState({ data, loading: false });
    } catch (error) {
      setState((s) => ({ ...s, error: error as Error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    setState({ loading: true });
    void reload();
  }, [reload]);
  return { ...state, reload };
}

export type Action = { busy: boolean; error?: ApiError | Error; run: <T>(fn: () => Promise<T>) => Promise<T | undefined> };

/** One user action at a time (a button's call): busy while it runs, its error kept for display. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error>();
  const run = useCallback(async <T,>(fn: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (err) {
      setError(err as Error);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
