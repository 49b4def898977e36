// The API key lives in sessionStorage only: it is gone when the tab closes and never reaches disk.
// A portal link's key (console/src/portal.ts) is kept apart, so it never stands in for an operator's.
// Inside another site's iframe the browser may refuse storage (third-party storage blocked, as headless
// Chromium does): then the key is kept in this page's memory only, and a reload of the frame needs the link again.
const KEY = location.pathname.startsWith('/portal/') ? 'herald.portalKey' : 'herald.apiKey';
let inMemory: string | null = null;

function storage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

export const session = {
  get: (): string | null => storage()?.getItem(KEY) ?? inMemory,
  set: (apiKey: string) => {
    inMemory = apiKey;
    storage()?.setItem(KEY, apiKey);
  },
  clear: () => {
    inMemory = null;
    storage()?.removeItem(KEY);
  },
};
