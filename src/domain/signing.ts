// Signatures a receiver checks: Herald's own X-Herald-Signature (`sha256=` and the hex HMAC-SHA256 of
// the raw body, keyed with the secret string: README "What a webhook receiver gets") and Standard
// Webhooks' headers.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret: "whsec_" + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, keyed with the secret string as the user sees it. */
export function heraldSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Standard Webhooks `webhook-signature` value: `v1,<base64>` over `${id}.${timestamp}.${body}`. */
export function standardWebhookSignature(secret: string, id: string, timestamp: Date, rawBody: string): string {
  return new Webhook(secret).sign(id, timestamp, rawBody);
}

/**
 * The delivery id of one event to one destination: the same for every retry of that event, different
 * for every other event, and derived from the workflow ID so it survives worker restarts.
 */
export function deliveryId(workflowId: string, destinationId: string, eventSeq: number): string {
  const digest = createHash('sha256').update(`${workflowId}\n${destinationId}\n${eventSeq}`).digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}
