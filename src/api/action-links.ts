// /actions/{token} (README "Action links"): the page behind a one-click link in a webhook payload,
// a Slack message or an incident. GET only shows what the link would do, so a link scanner that
// opens it changes nothing; the page's button POSTs, which acts once. No API key: the signed token
// is the permission, for one alert and one action, until it expires.
import { Router, urlencoded, type Response } from 'express';
import type { ActionLinkSigner, LinkAction, LinkClaims } from '../crypto/action-links';
import { AlertClosedError, AlertNotFoundError } from '../domain/alert-errors';
import type { ActionLinkUses } from '../store/action-link-uses';
import { EventNotYetAnnouncedError, type AlertActions } from './alert-actions';

/** Who an action taken through a link is recorded as. */
export const ACTION_LINK_BY = 'action link';

const VERBS: Record<LinkAction, { button: string; done: string }> = {
  acknowledge: { button: 'Acknowledge', done: 'acknowledged' },
  resolve: { button: 'Resolve', done: 'resolved' },
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'", 'x-frame-options': 'DENY', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    .type('html')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)} · Herald</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}button{font:inherit;padding:.5rem 1.25rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}</style>
</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

export function actionLinksRouter({ verifier, uses, actions }: { verifier: Pick<ActionLinkSigner, 'verify'>; uses: ActionLinkUses; actions: AlertActions }) {
  const router = Router();

  /** The link's claims and the alert, or the page saying why the link cannot act. */
  async function check(token: string, res: Response): Promise<{ claims: LinkClaims; title: string; status: string } | undefined> {
    const verdict = verifier.verify(token);
    if (!verdict.ok && verdict.reason === 'forged') return void page(res, 400, 'This link is not valid', '<p>It was not made by this Herald, or it was changed. Nothing was done.</p>');
    if (!verdict.ok) return void page(res, 410, 'This link has expired', `<p>It could be used until ${escape(verdict.claims!.expires_at)}. Nothing was done; act on the alert in Herald's console instead.</p>`);
    try {
      const state = await actions.get(verdict.claims.alert_id);
      return { claims: verdict.claims, title: titleOf(state), status: state.status };
    } catch (err) {
      if (err instanceof AlertNotFoundError) return void page(res, 404, 'No such alert', '<p>The alert this link was made for is not known here any more. Nothing was done.</p>');
      throw err;
    }
  }

  router.get('/:token', async (req, res) => {
    const checked = await check(req.params.token, res);
    if (!checked) return;
    const verb = VERBS[checked.claims.action];
    page(res, 200, `${verb.button} this alert?`, `<p><strong>${escape(checked.title)}</strong> (<code>${escape(checked.claims.alert_id)}</code>) is ${escape(checked.status)}.</p>
<form method="post"><button type="submit">${verb.button}</button></form><p><small>This link acts once, until ${escape(checked.claims.expires_at)}.</small></p>`);
  });

  router.post('/:token', urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const checked = await check(req.params.token, res);
    if (!checked) return;
    const { claims } = checked;
    const verb = VERBS[claims.action];
    const claim = await uses.claim(req.params.token, claims.alert_id, claims.action);
    if (!claim.claimed) return page(res, 409, 'This link was already used', `<p>It was used at ${escape(claim.used_at)}; a link acts once. Nothing more was done.</p>`);
    try {
      if (claims.action === 'acknowledge') await actions.acknowledge(claims.alert_id, 'acknowledge', { by: ACTION_LINK_BY });
      else await actions.close(claims.alert_id, 'resolve', { by: ACTION_LINK_BY });
    } catch (err) {
      if (err instanceof AlertClosedError) return page(res, 409, 'The alert is already closed', `<p><strong>${escape(checked.title)}</strong> is ${escape(err.status)}. Nothing was done.</p>`);
      // Kept in the store: it reaches the alert's workflow, and its destinations, once Temporal answers.
      if (!(err instanceof EventNotYetAnnouncedError)) throw err;
    }
    page(res, 200, `Alert ${verb.done}`, `<p><strong>${escape(checked.title)}</strong> (<code>${escape(claims.alert_id)}</code>) is ${verb.done}; every destination that heard of it hears this too.</p>`);
  });
  return router;
}

/** The alert's title for the page (an alert of the first workflow version may have none to show). */
const titleOf = (state: { alert?: { title?: unknown } }) => String(state.alert?.title ?? 'The alert');
