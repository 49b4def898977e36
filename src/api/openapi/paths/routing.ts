// What decides where an alert goes and when: routing rules, escalation policies, groups, silences and
// inhibition rules (README "Routing rules and filters" and the sections after it).
import { groupListQuerySchema } from '../../groups';
import { silenceListQuerySchema } from '../../silences';
import type { Components } from '../components';
import { inhibitRuleLinks, policyLinks, ruleLinks, silenceLinks } from '../links';
import type { Define } from '../operations';

export function routingPaths(define: Define, c: Components): void {
  define('post', '/v1/rules', { summary: 'Create a routing rule', body: c.RuleInput, ok: [201, c.Rule], errors: [400, 409, 422], links: ruleLinks, tenantScoped: true });
  define('get', '/v1/rules', { summary: 'List routing rules', ok: [200, c.RuleList], errors: [], tenantScoped: true });
  define('get', '/v1/rules/{id}', { summary: 'A routing rule', ok: [200, c.Rule], errors: [404], tenantScoped: true });
  define('patch', '/v1/rules/{id}', { summary: 'Change a routing rule', body: c.RulePatch, ok: [200, c.Rule], errors: [400, 404, 409, 422], tenantScoped: true });
  define('delete', '/v1/rules/{id}', { summary: 'Delete a routing rule', ok: [204], errors: [404], tenantScoped: true });

  define('post', '/v1/escalation-policies', { summary: 'Create an escalation policy (README "Escalation policies")', body: c.EscalationPolicyInput, ok: [201, c.EscalationPolicy], errors: [400, 409, 422], links: policyLinks, tenantScoped: true });
  define('get', '/v1/escalation-policies', { summary: 'Escalation policies', ok: [200, c.EscalationPolicyList], errors: [], tenantScoped: true });
  define('get', '/v1/escalation-policies/{id}', { summary: 'An escalation policy', ok: [200, c.EscalationPolicy], errors: [404], tenantScoped: true });
  define('patch', '/v1/escalation-policies/{id}', { summary: 'Change an escalation policy (alerts already routed keep the policy as it was)', body: c.EscalationPolicyPatch, ok: [200, c.EscalationPolicy], errors: [400, 404, 409, 422], tenantScoped: true });
  define('delete', '/v1/escalation-policies/{id}', { summary: 'Delete an escalation policy', ok: [204], errors: [404, 409], meanings: { 409: 'rules still route to the policy (escalation_policy_in_use), or the name is taken' }, tenantScoped: true });

  define('get', '/v1/groups', { summary: 'Alert groups, newest first (README "Grouping")', ok: [200, c.GroupList], errors: [400], query: groupListQuerySchema, tenantScoped: true });
  define('get', '/v1/groups/{id}', { summary: 'A group: its alerts, notifications and their deliveries, its destinations and incidents', ok: [200, c.Group], errors: [404], tenantScoped: true });

  define('post', '/v1/silences', { summary: 'Create a silence: alerts it matches when they trigger are held until it ends (README "Silences")', body: c.SilenceInput, ok: [201, c.Silence], errors: [400], links: silenceLinks, tenantScoped: true });
  define('get', '/v1/silences', { summary: 'Silences, newest first', ok: [200, c.SilenceList], errors: [400], query: silenceListQuerySchema, tenantScoped: true });
  define('get', '/v1/silences/{id}', { summary: 'A silence and the alerts it holds now', ok: [200, c.Silence], errors: [404], tenantScoped: true });
  define('delete', '/v1/silences/{id}', { summary: 'Expire the silence now: the alerts it held are delivered if they still fire', ok: [200, c.Silence], errors: [404, 503], tenantScoped: true });

  define('post', '/v1/inhibit-rules', { summary: 'Create an inhibition rule (README "Inhibition")', body: c.InhibitRuleInput, ok: [201, c.InhibitRule], errors: [400], links: inhibitRuleLinks, tenantScoped: true });
  define('get', '/v1/inhibit-rules', { summary: 'Inhibition rules', ok: [200, c.InhibitRuleList], errors: [], tenantScoped: true });
  define('get', '/v1/inhibit-rules/{id}', { summary: 'An inhibition rule', ok: [200, c.InhibitRule], errors: [404], tenantScoped: true });
  define('delete', '/v1/inhibit-rules/{id}', { summary: 'Delete an inhibition rule', ok: [204], errors: [404], tenantScoped: true });
}
