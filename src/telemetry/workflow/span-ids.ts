// Span and trace ids for spans made inside workflow code. They come from a named random stream of the
// workflow (derived from its seed), never from Math.random(): drawing from the workflow's own stream
// would change every number its code draws after (the lanes' jitter), so a history recorded without
// tracing would replay with other numbers. The same seed gives the same ids on a replay.
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { WorkflowRandomStream } from '@temporalio/workflow';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export class StreamIdGenerator implements IdGenerator {
  constructor(private readonly stream: WorkflowRandomStream) {}

  generateTraceId(): string {
    return this.id(16);
  }

  generateSpanId(): string {
    return this.id(8);
  }

  /** W3C ids must not be all zeros. */
  private id(size: number): string {
    const bytes = this.stream.fill(new Uint8Array(size));
    if (bytes.every((b) => b === 0)) bytes[size - 1] = 1;
    return hex(bytes);
  }
}
