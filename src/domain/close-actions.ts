// How an alert is closed, and the status each way leaves it in. Its own module so workflow code can
// import it without alert.ts's schemas (every module a workflow imports runs again per workflow).
export const CLOSE_ACTIONS = { resolve: 'resolved', dismiss: 'dismissed', expire: 'expired' } as const;
export type CloseAction = keyof typeof CLOSE_ACTIONS;
