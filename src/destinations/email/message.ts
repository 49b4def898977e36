// What one event looks like as an email (README "Email"): a subject, a plain-text and an HTML body,
// and the headers that thread one alert's trigger, updates and close together in mail clients.
import { createHash } from 'node:crypto';
import { actionLinks, EVENT_HEADLINES, escalationWords, eventActor, eventKind, type OutboundEvent } from '../../domain/events';

export type EmailMessage = {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Set on every event of an alert or group after its trigger: the trigger's Message-ID. */
  inReplyTo?: string;
  references?: string;
};

export type ThreadContext = { workflowId: string; destinationId: string; deliveryId: string };

/** Events that start a thread, and events that belong to the thread an earlier one started. */
const STARTS_THREAD = new Set<OutboundEvent['event_type']>(['alert.triggered', 'group.triggered']);
const IN_THREAD = (type: OutboundEvent['event_type']) => type.startsWith('alert.') || type.startsWith('group.');

/**
 * The Message-ID of an alert's trigger at one destination. Derived, not stored: every later event
 * computes the same one. The alert's created_at tells a re-triggered alert (same id, new run) from
 * the closed one, so it starts a new thread instead of joining the old.
 */
export function threadRootId(event: OutboundEvent, ctx: ThreadContext, domain: string): string {
  const digest = createHash('sha256').update(`${ctx.workflowId}\n${ctx.destinationId}\n${event.alert.created_at}`).digest('hex').slice(0, 32);
  return `<alert.${digest}@${domain}>`;
}

/**
 * The delivery id names the message, so an attempt that runs again sends the same Message-ID and a
 * mail client that sees both shows one.
 */
export function emailMessage(event: OutboundEvent, ctx: ThreadContext, opts: { domain: string; subjectPrefix: string }): EmailMessage {
  const root = threadRootId(event, ctx, opts.domain);
  const starts = STARTS_THREAD.has(event.event_type);
  const threaded = !starts && IN_THREAD(event.event_type);
  // Mail clients thread by the references and a subject that differs only by "Re:", so every
  // message of an alert has the trigger's subject (its title alone: an update may change the
  // severity); what happened and the severity lead the body.
  const topic = starts || threaded ? event.alert.title : `${EVENT_HEADLINES[event.event_type]}: ${event.alert.title}`;
  const base = `${opts.subjectPrefix ? `${opts.subjectPrefix} ` : ''}${topic}`;
  const rows = detailRows(event);
  const summary = summaryLine(event);
  return {
    subject: oneLine(threaded ? `Re: ${base}` : base, 250),
    text: plainText(summary, event, rows),
    html: htmlBody(summary, event, rows),
    messageId: starts ? root : `<${ctx.deliveryId}@${opts.domain}>`,
    ...(threaded && { inReplyTo: root, references: root }),
  };
}

/** What happened, in one line: the body's first. */
function summaryLine(event: OutboundEvent): string {
  const actor = eventActor(event);
  return `${EVENT_HEADLINES[event.event_type]} (${event.alert.severity}): ${event.alert.title}${actor ? `, by ${actor}` : ''}`;
}

function detailRows(event: OutboundEvent): [string, string][] {
  const asset = event.event.asset?.qualified_name;
  return [
    ['Severity', event.alert.severity],
    ['Status', event.alert.status],
    ['Event', `${event.event.type}${event.event.change_type ? ` (${event.event.change_type})` : ''}`],
    ...(asset ? [['Asset', asset] as [string, string]] : []),
    ...(event.event_type === 'alert.acknowledged' && event.alert.acknowledged_until ? [['Until', event.alert.acknowledged_until] as [string, string]] : []),
    ...(event.escalation ? [['Escalation', escalationWords(event.escalation)] as [string, string]] : []),
    ...(event.group ? [['Alerts firing', String(event.group.firing_count)] as [string, string], ['Resolved since last', String(event.group.resolved_count)] as [string, string]] : []),
    ['Occurred', event.occurred_at],
    [event.group ? 'Herald group' : 'Herald alert', event.alert.id],
  ];
}

const links = (event: OutboundEvent): [string, string][] => [
  ...(event.actions ? actionLinks(event.actions) : []),
  ...Object.entries(event.links).filter(([, href]) => /^https?:\/\//.test(href)),
];

const bodyText = (event: OutboundEvent) => (eventKind(event.event_type) === 'close' ? event.alert.close_reason : event.alert.description);

function plainText(summary: string, event: OutboundEvent, rows: [string, string][]): string {
  const text = bodyText(event);
  const linked = links(event);
  const grouped = event.group ? event.group.alerts.map((a) => `  - [${a.severity}] ${a.title}${a.asset ? ` on ${a.asset}` : ''}`) : [];
  return [
    summary,
    '',
    ...(text ? [text, ''] : []),
    ...rows.map(([name, value]) => `${name}: ${value}`),
    ...(grouped.length > 0 ? ['', 'Alerts:', ...grouped, ...(event.group?.truncated ? ['  …'] : [])] : []),
    ...(linked.length > 0 ? ['', ...linked.map(([name, href]) => `${name}: ${href}`)] : []),
    '',
  ].join('\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlBody(summary: string, event: OutboundEvent, rows: [string, string][]): string {
  const text = bodyText(event);
  const linked = links(event);
  const cell = 'style="padding:2px 12px 2px 0;vertical-align:top"';
  const grouped = event.group ? event.group.alerts.map((a) => `<li>[${escapeHtml(a.severity)}] ${escapeHtml(a.title)}${a.asset ? ` on <code>${escapeHtml(a.asset)}</code>` : ''}</li>`) : [];
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(summary)}</h2>`,
    ...(text ? [`<p style="white-space:pre-wrap">${escapeHtml(text)}</p>`] : []),
    `<table>${rows.map(([name, value]) => `<tr><th align="left" ${cell}>${escapeHtml(name)}</th><td ${cell}>${escapeHtml(value)}</td></tr>`).join('')}</table>`,
    ...(grouped.length > 0 ? [`<ul>${grouped.join('')}${event.group?.truncated ? '<li>…</li>' : ''}</ul>`] : []),
    ...(linked.length > 0 ? [`<p>${linked.map(([name, href]) => `<a href="${escapeHtml(href)}">${escapeHtml(name)}</a>`).join(' · ')}</p>`] : []),
    '</body></html>',
  ].join('\n');
}

/** A subject is one header line: no line breaks from an alert's title. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
