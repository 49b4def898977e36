// One attempt's HTTP exchanges with a receiver, the same for every destination type: each request is
// checked against the operator's URL policy at send time (it may have tightened since the destination
// was saved), sent through the one HTTP client, timed from the attempt's start, and the last one is kept
// as the invocation "Send test" shows (secrets masked as the provider says). A thrown failure becomes an
// outcome (src/destinations/outcome.ts); a provider says only what its receiver's answers mean.
import { urlProblem } from '../domain/target-policy';
import { BlockedTargetError, type HttpClient, type HttpRequest, type HttpResponse } from './http-client';
import { classifyFailure, classifyResponse } from './outcome';
import type { DeliveryOutcome, Invocation, SendContext } from './types';

type Request = Omit<HttpRequest, 'timeoutMs' | 'policy'>;
/** What "Send test" shows of a request where it differs from what is sent: secrets masked. */
type Shown = { url?: string; headers?: Record<string, string>; body?: string };

export class Exchange {
  private readonly started = performance.now();
  invocation: Invocation | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly ctx: SendContext,
  ) {}

  /** Milliseconds since the attempt began. */
  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  /** Throws when the operator's policy refuses the URL now; `send` checks it too, this is for before credentials are fetched. */
  check(url: string): void {
    const refused = urlProblem(url, this.ctx.policy);
    if (refused) throw new BlockedTargetError(`URL ${refused}`);
  }

  async send(request: Request, shown: Shown = {}): Promise<HttpResponse> {
    this.invocation = { request: { method: request.method, url: shown.url ?? request.url, headers: shown.headers ?? request.headers, body: shown.body ?? request.body ?? '' } };
    this.check(request.url);
    const response = await this.http.send({ ...request, timeoutMs: this.ctx.timeoutMs, policy: this.ctx.policy, shownUrl: this.invocation.request.url });
    this.invocation.response = { status: response.status, headers: response.headers, body: response.body, truncated: response.truncated };
    return response;
  }

  /** The answer as an outcome by Herald's rules (2xx succeeds; 410 and blocked targets are final). */
  classify(response: HttpResponse): DeliveryOutcome {
    return classifyResponse(response, this.elapsed(), new Date());
  }
}

/** Runs one attempt's exchanges: the outcome `attempt` returns, or the failure it threw, with the invocation. */
export async function exchange(http: HttpClient, ctx: SendContext, attempt: (ex: Exchange) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  const ex = new Exchange(http, ctx);
  let outcome: DeliveryOutcome;
  try {
    outcome = await attempt(ex);
  } catch (err) {
    outcome = classifyFailure(err, ex.elapsed(), ctx.timeoutMs);
  }
  return { ...outcome, ...(ex.invocation && { invocation: ex.invocation }) };
}
