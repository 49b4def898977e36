// Tenants (README "Serving your customers"): the customers one Herald serves. Every destination,
// rule and alert belongs to one; `default` holds what single-tenant use makes, so nothing of it changed.
import { z } from 'zod';
import { nonBlank } from './non-blank';
import { SCOPES } from './api-scopes';

export const DEFAULT_TENANT = 'default';

// Tenant ids go into paths, workflow ids and (later) metric-free log lines: lowercase letters,
// digits, "_" and "-", as the generated ids of other resources (`dst_…`), never "/" or ":".
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const limits = {
  ingest_per_second: z.number().min(0.001).max(1_000_000).nullable().optional().describe('Alert events (trigger, update, resolve, dismiss, sources) the tenant may post per second, per API process; over it 429 tenant_rate_limited (null: no limit of its own)'),
  max_destinations: z.number().int().min(0).max(100_000).nullable().optional().describe('Destinations the tenant may have; one more is refused 422 tenant_destination_limit (null: no limit)'),
  retention_days: z.number().int().min(1).max(3650).nullable().optional().describe('Days its closed alerts and delivery attempts are kept; the worker deletes older ones every HERALD_TENANT_RETENTION_INTERVAL_S (null: kept)'),
};

// README "A portal for each customer". Origins go into a Content-Security-Policy header, theme values
// into CSS variables and an <img src>: each is matched whole against a strict pattern, so no value can
// carry a ";", a quote, a space, a parenthesis or markup into either.
const ORIGIN_PATTERN = /^https?:\/\/([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:[0-9]{1,5})?$/;
const COLOUR = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb');
export const portalThemeSchema = z.strictObject({
  primary_color: COLOUR.optional().describe('Buttons and links (#rrggbb)'),
  header_color: COLOUR.optional().describe('The header\'s background (#rrggbb)'),
  text_color: COLOUR.optional().describe('Body text (#rrggbb)'),
  logo_url: z
    .string()
    .max(2048)
    .regex(/^https:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%!$&*+,;=:@\/-]*)?$/, 'must be an https URL without quotes, spaces, parentheses or a query')
    .optional()
    .describe('An https image shown in the portal\'s header instead of the word Herald'),
});
export type PortalTheme = z.infer<typeof portalThemeSchema>;
const portal = {
  portal_origins: z
    .array(z.string().max(300).regex(ORIGIN_PATTERN, 'must be an origin: http(s)://host[:port] in lowercase (a host name or IPv4 address), with no path'))
    .max(20)
    .optional()
    .describe('The origins (scheme://host[:port]) whose pages may embed the tenant\'s portal in an iframe; empty: none may'),
  portal_theme: portalThemeSchema.nullable().optional().describe('Colours and logo of the tenant\'s portal; null: Herald\'s own'),
};

export const tenantInputSchema = z.strictObject({
  id: z
    .string()
    .regex(TENANT_ID_PATTERN, 'must be 1-63 characters of lowercase letters, digits, "_" or "-", starting with a letter or digit')
    .optional()
    .describe('Your own id for the customer (e.g. its id in your product); absent: ten_<random>'),
  name: nonBlank(200),
  ...limits,
  ...portal,
});
export type TenantInput = z.infer<typeof tenantInputSchema>;

export const tenantPatchSchema = z.strictObject({ name: nonBlank(200).optional(), ...limits, ...portal });
export type TenantPatch = z.infer<typeof tenantPatchSchema>;

export type Tenant = {
  id: string;
  name: string;
  ingest_per_second: number | null;
  max_destinations: number | null;
  retention_days: number | null;
  /** Set once DELETE asked for the tenant's purge: its keys are gone, its paths answer 404, and the tenant goes when the purge is done. */
  deleting_since: string | null;
  created_at: string;
  updated_at: string;
};

/** A tenant's portal settings (kept in tenant_portals, src/store/tenant-portals.ts), shown with the tenant. */
export type TenantPortal = { portal_origins: string[]; portal_theme: PortalTheme | null };

/** POST /v1/tenants/{tenant}/keys: what the key may do within its tenant (admin: its tenant's configuration, never /v1/tenants). */
export const tenantKeyInputSchema = z.strictObject({
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).describe('What the key may do inside its tenant'),
});

/** A tenant key as lists show it: never the key, only its first characters. */
export type TenantKey = { id: string; tenant_id: string; scopes: (typeof SCOPES)[number][]; prefix: string; created_at: string };

/** POST /v1/tenants/{tenant}/portal-links (README "A portal for each customer"). */
export const portalLinkInputSchema = z.strictObject({
  expires_in_s: z.number().int().min(1).max(86_400).optional().describe('Seconds the link works for (default 900, at most a day); the page opened by it keeps working only as long'),
  read_only: z.boolean().optional().describe('The customer sees its destinations, rules and alerts but changes nothing (default false)'),
});
export const PORTAL_LINK_DEFAULT_EXPIRY_S = 900;
