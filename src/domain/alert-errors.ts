// What can go wrong when someone acts on an alert, in the alert's own words; the API maps each to an
// HTTP status once (api/errors.ts).

export class AlertNotFoundError extends Error {
  constructor(readonly alertId: string) {
    super(`no alert with id ${alertId}`);
  }
}

/** The alert no longer takes news: it was resolved, dismissed, expired, or its workflow ended. */
export class AlertClosedError extends Error {
  constructor(
    readonly alertId: string,
    readonly status: string,
  ) {
    super(`alert ${alertId} is already ${status}`);
  }
}

/** A redelivery asked of a destination the alert never went to, or of one that did not fail. */
export class NotRedeliverableError extends Error {
  constructor(
    readonly reason: 'not_routed' | 'not_failed',
    message: string,
  ) {
    super(message);
  }
}

/** An alert of the first workflow version, which knows no acknowledgement. */
export class NotAcknowledgeableError extends Error {
  constructor(readonly alertId: string) {
    super(`alert ${alertId} runs on Herald's first workflow version, which cannot be acknowledged; resolve or dismiss it instead`);
  }
}
