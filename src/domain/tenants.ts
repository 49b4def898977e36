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
  ingest_per_second: z.number().positive().max(1_000_000).nullable().optional().describe('Alerts the tenant may post per second (enforced in a later release; null: no limit of its own)'),
  max_destinations: z.number().int().min(0).max(100_000).nullable().optional().describe('Destinations the tenant may have (enforced in a later release; null: no limit)'),
  retention_days: z.number().int().min(1).max(3650).nullable().optional().describe('Days its closed alerts and delivery attempts are kept (enforced in a later release; null: the store\'s own pruning)'),
};

export const tenantInputSchema = z.strictObject({
  id: z
    .string()
    .regex(TENANT_ID_PATTERN, 'must be 1-63 characters of lowercase letters, digits, "_" or "-", starting with a letter or digit')
    .optional()
    .describe('Your own id for the customer (e.g. its id in your product); absent: ten_<random>'),
  name: nonBlank(200),
  ...limits,
});
export type TenantInput = z.infer<typeof tenantInputSchema>;

export const tenantPatchSchema = z.strictObject({ name: nonBlank(200).optional(), ...limits });
export type TenantPatch = z.infer<typeof tenantPatchSchema>;

export type Tenant = {
  id: string;
  name: string;
  ingest_per_second: number | null;
  max_destinations: number | null;
  retention_days: number | null;
  created_at: string;
  updated_at: string;
};

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
