// Prometheus metrics (prom-client). One registry per process: the API records what it accepts, the
// worker's activities record every delivery attempt, and gauges count the store's read model on scrape.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'herald_' });

export const alertsTotal = new Counter({
  name: 'herald_alerts_total',
  help: 'Alert actions accepted by the API: triggered, deduplicated, updated, resolved, dismissed, redelivered',
  labelNames: ['action'] as const,
  registers: [registry],
});

export const deliveryAttempts = new Counter({
  name: 'herald_delivery_attempts_total',
  help: 'Delivery attempts by destination type and outcome: delivered, retryable_failure (a retry follows unless the schedule is exhausted), permanent_failure',
  labelNames: ['destination_type', 'outcome'] as const,
  registers: [registry],
});

export const attemptDuration = new Histogram({
  name: 'herald_delivery_attempt_duration_seconds',
  help: 'Duration of one delivery attempt, request to response',
  labelNames: ['destination_type'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const circuitTransitions = new Counter({
  name: 'herald_circuit_transitions_total',
  help: "Destinations' circuit breakers opening (opened, reopened after a failed probe) and closing, by destination type",
  labelNames: ['destination_type', 'transition'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'herald_http_request_duration_seconds',
  help: 'API requests by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [registry],
});

/** A gauge read from the store when Prometheus scrapes; the API process sets its source. */
function storeGauge<T extends Record<string, number>>(name: string, help: string): (source: () => Promise<T>) => void {
  let read: (() => Promise<T>) | undefined;
  new Gauge({
    name,
    help,
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (!read) return;
      try {
        for (const [state, value] of Object.entries(await read())) this.set({ state }, value);
      } catch {
        // The store or Temporal unreachable: the gauges keep their last values; /readyz says why.
      }
    },
  });
  return (source) => {
    read = source;
  };
}

export const countAlertsWith = storeGauge<{ open: number; failed: number; retrying: number }>(
  'herald_alerts',
  'Alerts of this Herald: open (triggered), with a failed delivery, with a delivery being retried',
);
export const countCircuitsWith = storeGauge<Record<string, number>>(
  'herald_destination_circuits',
  "Destinations by the state of their circuit breaker: closed, open, half_open (a probe in flight); a destination counts once its circuit has failed at least once",
);

/** Destination health over the last hour, per destination (README "Destination health"); the API process sets its source. */
let readHealth: (() => Promise<Map<string, { attempts: number; succeeded: number }>>) | undefined;
/** One read of the store serves both gauges of a scrape (prom-client collects them concurrently). */
let healthRead: { at: number; counts: ReturnType<NonNullable<typeof readHealth>> } | undefined;
function healthCounts() {
  if (!readHealth) return undefined;
  if (!healthRead || Date.now() - healthRead.at > 1000) healthRead = { at: Date.now(), counts: readHealth() };
  return healthRead.counts;
}
function healthGauge(name: string, help: string, labelNames: readonly string[], set: (gauge: Gauge, destinationId: string, c: { attempts: number; succeeded: number }) => void) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const counts = healthCounts();
      if (!counts) return;
      try {
        const read = await counts;
        this.reset();
        for (const [destinationId, c] of read) set(this, destinationId, c);
      } catch {
        // The store unreachable: the gauges keep their last values; /readyz says why.
      }
    },
  });
}
healthGauge('herald_destination_attempts_last_hour', 'Attempts sent to each destination in the last hour, by outcome (succeeded, failed)', ['destination_id', 'outcome'], (gauge, destination_id, c) => {
  gauge.set({ destination_id, outcome: 'succeeded' }, c.succeeded);
  gauge.set({ destination_id, outcome: 'failed' }, c.attempts - c.succeeded);
});
healthGauge('herald_destination_success_ratio_last_hour', 'Succeeded attempts over attempts sent to each destination in the last hour (destinations with attempts only)', ['destination_id'], (gauge, destination_id, c) => {
  gauge.set({ destination_id }, c.succeeded / c.attempts);
});
export function readDestinationHealthFrom(source: NonNullable<typeof readHealth>): void {
  readHealth = source;
}

/** Where the Temporal SDK exports its worker metrics in this process, when it does. */
let sdkMetricsUrl: string | undefined;
export function exportSdkMetricsFrom(url: string): void {
  sdkMetricsUrl = url;
}

/** Herald's metrics followed by the Temporal SDK's (prefixed temporal_), as one scrape. */
export async function metricsText(): Promise<string> {
  const own = await registry.metrics();
  if (!sdkMetricsUrl) return own;
  try {
    const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2000) });
    return `${own}\n${await response.text()}`;
  } catch {
    return own; // the SDK exporter is not up (no worker in this process yet)
  }
}
