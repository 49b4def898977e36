// Portal mode (README "A portal for each customer"): the console served at /portal/<link id>
// (src/api/console.ts portalRouter) for one tenant's customer. The link's secret arrives in the URL's
// fragment (#hrk_…), which no server ever sees; it is kept in session storage (console/src/session.ts)
// and taken off the address, then presented as a Bearer key like any other. Only Destinations, Rules
// and Alerts are shown; a read-only link shows no control that changes anything.
import { session } from './session';

export type PortalTheme = { primary_color?: string; header_color?: string; text_color?: string; logo_url?: string };
type PortalMode = { read_only: boolean; expires_at: string; theme: PortalTheme | null };

function readMode(): PortalMode | undefined {
  if (!location.pathname.startsWith('/portal/')) return undefined;
  const content = document.querySelector('meta[name="herald-portal"]')?.getAttribute('content');
  return content ? (JSON.parse(content) as PortalMode) : undefined;
}

/** Undefined outside the portal. */
export const portal = readMode();
/** Whether the console shows controls that change things (not for a read-only portal link). */
export const canWrite = !portal?.read_only;

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Takes the secret off the fragment into the session and applies the theme; before the first render. */
export function startPortal(): void {
  if (!portal) return;
  if (location.hash.startsWith('#hrk_')) {
    session.set(location.hash.slice(1));
    history.replaceState(null, '', `${location.pathname}#/destinations`);
  } else if (location.hash === '' || location.hash === '#/') {
    history.replaceState(null, '', `${location.pathname}#/destinations`);
  }
  // Set through the CSSOM, never as markup; Herald validated the values already (src/domain/tenants.ts), and they are checked again.
  const style = document.documentElement.style;
  const colours: [keyof PortalTheme, string][] = [
    ['primary_color', '--herald-primary'],
    ['header_color', '--herald-header'],
    ['text_color', '--herald-text'],
  ];
  for (const [name, variable] of colours) {
    const value = portal.theme?.[name];
    if (value && COLOUR.test(value)) style.setProperty(variable, value);
  }
}
