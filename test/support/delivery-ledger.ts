// What a receiver got, counted by delivery id (the `webhook-id` header): a duplicate is allowed only
// as a retry of the same delivery, so the same id must always carry the same event of the same alert.
import type { Received } from './receiver';

type Delivery = { id: string; alertId: string; eventType: string; body: string; copies: number };

export class DeliveryLedger {
  private readonly byId = new Map<string, Delivery>();
  private seen = 0;
  /** Problems found so far: an id reused for a different body. */
  readonly conflicts: string[] = [];

  constructor(private readonly requests: Received[]) {}

  /** Reads the requests that arrived since the last call. */
  private update(): void {
    for (; this.seen < this.requests.length; this.seen++) {
      const request = this.requests[this.seen]!;
      const id = String(request.headers['webhook-id']);
      const known = this.byId.get(id);
      if (known) {
        known.copies++;
        if (known.body !== request.body) this.conflicts.push(`delivery ${id} arrived with two different bodies: ${firstDifference(known.body, request.body)}`);
        continue;
      }
      const payload = JSON.parse(request.body) as { event_type: string; alert: { id: string } };
      this.byId.set(id, { id, alertId: payload.alert.id, eventType: payload.event_type, body: request.body, copies: 1 });
    }
  }

  /** Distinct deliveries of `eventType`. */
  count(eventType: string): number {
    this.update();
    let n = 0;
    for (const d of this.byId.values()) if (d.eventType === eventType) n++;
    return n;
  }

  /** Requests that repeated a delivery already received (retries after a lost answer). */
  duplicates(): number {
    this.update();
    let n = 0;
    for (const d of this.byId.values()) n += d.copies - 1;
    return n;
  }

  /** Per alert, its distinct deliveries' event types in order of first arrival. */
  eventsByAlert(): Map<string, string[]> {
    this.update();
    const events = new Map<string, string[]>();
    for (const d of this.byId.values()) {
      const list = events.get(d.alertId) ?? [];
      list.push(d.eventType);
      events.set(d.alertId, list);
    }
    return events;
  }
}

/** Where two bodies part, with some context either side, so a conflict says what changed. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `first ${JSON.stringify(a.slice(from, i + 120))} then ${JSON.stringify(b.slice(from, i + 120))}`;
}
