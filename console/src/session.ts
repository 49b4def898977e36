// The API key lives in sessionStorage only: it is gone when the tab closes and never reaches disk.
// A portal link's key (console/src/portal.ts) is kept apart, so it never stands in for an operator's.
const KEY = location.pathname.startsWith('/portal/') ? 'herald.portalKey' : 'herald.apiKey';

export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (apiKey: string) => sessionStorage.setItem(KEY, apiKey),
  clear: () => sessionStorage.removeItem(KEY),
};
