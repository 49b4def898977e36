// Email destination: one message per event over SMTP (nodemailer), threaded per alert
// (./message.ts). SMTP has no idempotency key: as with Slack, once the server accepts a message its
// delivery id is recorded and an attempt run again does not send (../posted-once.ts); a message sent
// twice in the one window that leaves carries the same Message-ID, which mail clients show once.
// The server's name is resolved and checked by the outbound policy like any URL's, and the
// connection goes to that address, with the name kept for the TLS certificate check.
import net from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { z } from 'zod';
import type { OutboundEvent } from '../../domain/events';
import { hostProblem } from '../../domain/target-policy';
import type { SentMessageStore } from '../../store/sent-messages';
import { BlockedTargetError, type HttpClient } from '../http-client';
import { recordPosted } from '../posted-once';
import { maskSecret, type DeliveryOutcome, type DestinationProvider, type Invocation, type SendContext } from '../types';
import { emailMessage } from './message';
import { smtpFailure } from './smtp-failure';

// The /openapi.json converter (src/api/openapi) writes a string format's name without zod's pattern
// for it: the patterns are given here, so the description accepts no more than the check.
const address = z.email({ error: 'must be an email address, e.g. alerts@example.com' }).max(254).meta({ pattern: z.regexes.email.source });

export const emailConfigSchema = z
  .strictObject({
    host: z
      .union([z.hostname(), z.ipv6()], { error: 'must be the SMTP server\'s host name or IP address' })
      .meta({
        description: 'The SMTP server, e.g. smtp.example.com',
        anyOf: [
          { type: 'string', format: 'hostname', pattern: z.regexes.hostname.source },
          { type: 'string', format: 'ipv6', pattern: z.regexes.ipv6.source },
        ],
      }),
    port: z.int().min(1).max(65_535).default(587).describe('587 for STARTTLS (submission), 465 for TLS, 25 for relays'),
    security: z.enum(['starttls', 'tls', 'none']).default('starttls').describe('starttls: upgrade on the port and refuse a server that cannot; tls: TLS from the first byte (port 465); none: plain text (needs HERALD_ALLOW_INSECURE_TARGETS=true)'),
    username: z.string().min(1).max(254).optional(),
    password: z.string().min(1).max(1000).optional().describe('Secret; shown masked'),
    from: address,
    from_name: z.string().min(1).max(100).regex(/^[^\r\n]*$/, 'must be one line').optional().describe('Shown as the sender, e.g. "Herald alerts"'),
    to: z.array(address).min(1).max(50),
    cc: z.array(address).max(50).default([]),
    subject_prefix: z.string().max(50).regex(/^[^\r\n]*$/, 'must be one line').default('[Herald]'),
    ca_certificate: z
      .string()
      .max(20_000)
      .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
      .optional()
      .describe('A PEM CA certificate to trust besides the system ones, for a server with a private certificate'),
  })
  .refine((c) => c.password === undefined || c.username !== undefined, { path: ['username'], error: 'is required with a password' });
export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** The ports mail is submitted or relayed on; others (an internal service's) need the insecure-targets setting, as with https. */
const MAIL_PORTS = new Set([25, 465, 587, 2525]);

const domainOf = (mailbox: string) => mailbox.slice(mailbox.lastIndexOf('@') + 1).toLowerCase();

export function emailProvider(http: HttpClient, sent: SentMessageStore): DestinationProvider<EmailConfig> {
  const problems = (config: EmailConfig, policy: SendContext['policy']) => {
    const found: { path: string[]; message: string }[] = [];
    const host = hostProblem(config.host, policy);
    if (host) found.push({ path: ['host'], message: `host ${host}` });
    if (!policy.allowInsecure && config.security === 'none') found.push({ path: ['security'], message: 'must be starttls or tls (set HERALD_ALLOW_INSECURE_TARGETS=true to allow plain SMTP)' });
    if (!policy.allowInsecure && !MAIL_PORTS.has(config.port)) found.push({ path: ['port'], message: 'must be a mail port: 25, 465, 587 or 2525 (set HERALD_ALLOW_INSECURE_TARGETS=true to allow others)' });
    return found;
  };

  return {
    type: 'email',
    configSchema: emailConfigSchema,
    check: problems,
    complete: (config) => config,
    mask: (config) => ({ ...config, ...(config.password !== undefined && { password: maskSecret(config.password) }) }),
    describe: (config) => `Email to ${[...config.to, ...config.cc].join(', ')} via ${config.host}:${config.port}`,

    async send(event: OutboundEvent, config: EmailConfig, ctx: SendContext): Promise<DeliveryOutcome> {
      if (await sent.wasSent(ctx.deliveryId)) return { ok: true, duration_ms: 0, note: 'already sent; not sent again' };
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const message = emailMessage(event, ctx, { domain: domainOf(config.from), subjectPrefix: config.subject_prefix });
      const invocation: Invocation = {
        request: {
          method: 'SMTP',
          url: `smtp://${config.host}:${config.port} (${config.security})`,
          headers: {
            from: config.from_name ? `"${config.from_name}" <${config.from}>` : config.from,
            to: config.to.join(', '),
            ...(config.cc.length > 0 && { cc: config.cc.join(', ') }),
            subject: message.subject,
            'message-id': message.messageId,
            ...(message.inReplyTo && { 'in-reply-to': message.inReplyTo, references: message.references! }),
          },
          body: message.text,
        },
      };
      try {
        const refused = problems(config, ctx.policy)[0];
        if (refused) throw new BlockedTargetError(refused.message);
        const ip = await http.resolve(config.host, ctx.policy);
        const info = await sendOnce(ip, config, ctx.timeoutMs, {
          from: config.from_name ? { name: config.from_name, address: config.from } : config.from,
          to: config.to,
          ...(config.cc.length > 0 && { cc: config.cc }),
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          ...(message.inReplyTo && { inReplyTo: message.inReplyTo, references: message.references! }),
          headers: { 'X-Herald-Event': event.event_type, 'X-Herald-Delivery': ctx.deliveryId },
        });
        invocation.response = { status: replyCode(info.response), headers: {}, body: info.response, truncated: false };
        const rejected = info.rejected.map(String);
        return {
          ok: true,
          duration_ms: elapsed(),
          response_excerpt: info.response,
          invocation,
          ...(await recordPosted(sent, ctx, 'the mail server')),
          ...(rejected.length > 0 && { note: `the server refused ${rejected.join(', ')}; the others got the message` }),
        };
      } catch (err) {
        const failure = smtpFailure(err, elapsed(), ctx.timeoutMs);
        const reply = (err as { response?: string }).response;
        if (reply) invocation.response = { status: replyCode(reply), headers: {}, body: reply, truncated: false };
        return { ...failure, invocation };
      }
    },
  };
}

/** One SMTP session: connect, (STARTTLS,) authenticate, send, quit; the whole bounded by the attempt's timeout. */
async function sendOnce(ip: string, config: EmailConfig, timeoutMs: number, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({
    host: ip,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    ...(config.username !== undefined && { auth: { user: config.username, pass: config.password ?? '' } }),
    tls: { ...(!net.isIP(config.host) && { servername: config.host }), ...(config.ca_certificate && { ca: [config.ca_certificate] }), minVersion: 'TLSv1.2' },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      transport.sendMail(mail),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/** The three-digit code an SMTP reply starts with ("250 2.0.0 Ok: queued"), 0 when it has none. */
const replyCode = (reply: string) => Number(/^\d{3}/.exec(reply)?.[0] ?? 0);
