// The API key lives in sessionStorage only: it is gone when the tab closes and never reaches disk.
const KEY = 'herald.apiKey';

export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (apiKey: string) => sessionStorage.setItem(KEY, apiKey),
  clear: () => sessionStorage.removeItem(KEY),
};
