// Hash routes (#/alerts/abc?status=triggered): the server serves one page, and the back button works.
import { useEffect, useState } from 'preact/hooks';
import { query } from './api';

export type Route = { parts: string[]; params: URLSearchParams };

function current(): Route {
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const href = (path: string, params: Record<string, string | undefined> = {}) => `#${path}${query(params)}`;

export const navigate = (path: string, params?: Record<string, string | undefined>) => {
  location.hash = href(path, params);
};
