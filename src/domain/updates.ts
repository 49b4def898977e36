// Folding an update into an open alert. Pure: the store applies each update as the API keeps it
// (store/alerts.ts), and the first workflow version (workflows/legacy) applies them itself.
import type { Alert, AlertUpdate } from './alert';

/**
 * The alert with everything known so far: scalar fields replaced, labels, links and event details
 * merged key by key, and free-form `data` merged into `updates`.
 */
export function applyUpdate(alert: Alert, update: AlertUpdate): Alert {
  const { details, ...eventFields } = update.event ?? {};
  return {
    ...alert,
    ...(update.title !== undefined && { title: update.title }),
    ...(update.description !== undefined && { description: update.description }),
    ...(update.severity !== undefined && { severity: update.severity }),
    labels: { ...alert.labels, ...update.labels },
    links: { ...alert.links, ...update.links },
    event: {
      ...alert.event,
      ...eventFields,
      ...((details || alert.event.details) && { details: { ...alert.event.details, ...details } }),
    },
    ...(update.data && { updates: { ...((alert.updates as Record<string, unknown> | undefined) ?? {}), ...update.data } }),
  };
}
