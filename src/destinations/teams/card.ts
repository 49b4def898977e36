// What one event looks like in Microsoft Teams (README "Microsoft Teams"): an Adaptive Card 1.4 in
// the message envelope a Teams Workflows webhook takes ({type: message, attachments: [card]}). Only
// elements every Teams client renders: TextBlock, FactSet, Container and Action.OpenUrl.
import { actionLinks, EVENT_HEADLINES, escalationWords, eventActor, eventKind, type OutboundEvent } from '../../domain/events';

/** Card colours Teams themes itself (light, dark, high contrast), by severity; "good" once closed. */
const COLORS: Record<string, string> = { critical: 'attention', error: 'attention', warning: 'warning', info: 'accent' };

/** Teams refuses messages over about 28 KB; the texts are cut well below it. */
const LIMITS = { title: 300, text: 3000, fact: 500, links: 5 } as const;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function adaptiveCard(event: OutboundEvent) {
  const closed = eventKind(event.event_type) === 'close';
  const actor = eventActor(event);
  const asset = event.event.asset?.qualified_name;
  const text = closed ? event.alert.close_reason : event.alert.description;
  const facts = [
    { title: 'Severity', value: event.alert.severity },
    { title: 'Status', value: event.alert.status },
    { title: 'Event', value: `${event.event.type}${event.event.change_type ? ` (${event.event.change_type})` : ''}` },
    ...(asset ? [{ title: 'Asset', value: asset }] : []),
    ...(actor ? [{ title: 'By', value: actor }] : []),
    ...(event.event_type === 'alert.acknowledged' && event.alert.acknowledged_until ? [{ title: 'Until', value: event.alert.acknowledged_until }] : []),
    ...(event.escalation ? [{ title: 'Escalation', value: escalationWords(event.escalation) }] : []),
    { title: `Herald ${event.group ? 'group' : 'alert'}`, value: event.alert.id },
  ].map((f) => ({ title: f.title, value: cut(f.value, LIMITS.fact) }));
  const links = Object.entries(event.links)
    .filter(([, href]) => /^https?:\/\//.test(href))
    .slice(0, LIMITS.links)
    .map(([name, href]) => ({ type: 'Action.OpenUrl', title: name, url: href }));
  const respond = event.actions ? actionLinks(event.actions).map(([label, href]) => ({ type: 'Action.OpenUrl', title: label, url: href })) : [];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    msteams: { width: 'Full' },
    // What a notification and a screen reader announce.
    fallbackText: `${EVENT_HEADLINES[event.event_type]}: ${event.alert.title}`,
    body: [
      {
        type: 'Container',
        items: [
          {
            type: 'TextBlock',
            text: cut(`${EVENT_HEADLINES[event.event_type]}: ${event.alert.title}`, LIMITS.title),
            size: 'large',
            weight: 'bolder',
            color: closed ? 'good' : (COLORS[event.alert.severity] ?? 'accent'),
            wrap: true,
          },
        ],
      },
      ...(text ? [{ type: 'TextBlock', text: cut(text, LIMITS.text), wrap: true, ...(closed && { isSubtle: true }) }] : []),
      { type: 'FactSet', facts },
    ],
    ...(links.length + respond.length > 0 && { actions: [...respond, ...links] }),
  };
}

/** The body a Teams Workflows webhook ("When a Teams webhook request is received") takes. */
export function teamsMessage(event: OutboundEvent) {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(event) }],
  };
}
