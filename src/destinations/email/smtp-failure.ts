// A failed SMTP session as a delivery outcome. SMTP says itself which failures are final: a 5xx
// reply is a permanent refusal (RFC 5321 §4.2.1), a 4xx one asks to try later; a refused login
// cannot succeed until the destination changes.
import { BlockedTargetError } from '../http-client';
import type { DeliveryOutcome } from '../types';

type SmtpError = { code?: string; responseCode?: number; response?: string; message?: string };

export function smtpFailure(err: unknown, durationMs: number, timeoutMs: number): DeliveryOutcome {
  const base = { ok: false as const, duration_ms: durationMs };
  if (err instanceof BlockedTargetError) return { ...base, permanent: true, error: err.message };
  const e = (err ?? {}) as SmtpError;
  const reply = e.response?.trim();
  if (e.code === 'EAUTH') {
    return { ...base, permanent: true, error: `the mail server refused the login${reply ? ` (${reply})` : ''}: check the username and password` };
  }
  if (e.code === 'ETLS') {
    return { ...base, permanent: e.responseCode !== undefined && e.responseCode >= 500, error: `TLS failed${reply ? ` (${reply})` : `: ${e.message}`}: the server must offer STARTTLS (or use security tls on port 465) with a certificate valid for its host name, or set ca_certificate` };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return { ...base, permanent: true, error: `the mail server refused the message (${reply ?? e.responseCode}): correct the destination's addresses or settings` };
  }
  if (e.responseCode !== undefined && e.responseCode >= 400) {
    return { ...base, error: `the mail server asked to try later (${reply ?? e.responseCode})` };
  }
  if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT') return { ...base, error: `timed out after ${timeoutMs / 1000}s` };
  const message = e.message ?? String(err);
  return { ...base, error: `${e.code ? `${e.code}: ` : ''}${message}${hint(e.code, message) ?? ''}` };
}

function hint(code: string | undefined, message: string): string | undefined {
  if (/ECONNREFUSED/.test(message)) return ' (nothing accepts connections there: is the server running, and is the port right?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(message) || code === 'EDNS') return ' (the host name does not resolve)';
  if (/certificate|self.signed|SSL|TLS/i.test(message)) return ' (TLS failed: the server needs a certificate valid for its host name, or set ca_certificate)';
  return undefined;
}
