// `herald alerts|destinations|silences|groups …`: an operator's commands against a running Herald
// (HERALD_URL, HERALD_API_KEY), a table by default and the API's JSON with --json.
import { parseArgs } from 'node:util';
import { alertAnswerSchema, alertListSchema, destinationListSchema, groupListSchema, signalAcceptedSchema, silenceListSchema, silenceSchema, testResultSchema } from '../api/response-schemas';
import { ALERT_STATUSES, SEVERITIES } from '../domain/alert';
import { clientFrom, CommandError, EXIT, type Client } from './client';
import { table } from './table';

const EXIT_CODES = 'exit codes: 0 done, 1 refused by Herald (or the test delivery failed), 2 wrong command line, 3 Herald unreachable or failing';

type Write = (text: string) => void;
type Command = { args: string[]; options: Record<string, string | boolean | (string | boolean)[] | undefined>; client: Client; write: Write };

type CommandSpec = {
  /** The command's line(s) in the usage text: its arguments, options and what it does. */
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  positionals: number;
  run(c: Command): Promise<number>;
};

const COMMANDS: Record<string, CommandSpec> = {
  'alerts list': {
    usage: 'alerts list [--status S] [--severity S] [--limit N] [--json]   open and recent alerts, newest first',
    options: { status: { type: 'string' }, severity: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    positionals: 0,
    async run({ options, client, write }) {
      const query = new URLSearchParams();
      if (options.status) query.set('status', oneOf('--status', String(options.status), ALERT_STATUSES));
      if (options.severity) query.set('severity', oneOf('--severity', String(options.severity), SEVERITIES));
      if (options.limit) query.set('page_size', String(options.limit));
      const list = await client('GET', `/v1/alerts?${query}`, alertListSchema);
      if (options.json) write(`${JSON.stringify(list, null, 2)}\n`);
      else write(table(['ID', 'STATUS', 'DELIVERY', 'SEVERITY', 'STARTED', 'TITLE'], list.data.map((a) => [a.id, a.status, a.delivery_state, a.severity, a.started_at, a.title])));
      return EXIT.ok;
    },
  },
  'alerts show': {
    usage: 'alerts show <id> [--json]                                      one alert: each destination, event and attempt',
    options: { json: { type: 'boolean' } },
    positionals: 1,
    async run({ args, options, client, write }) {
      const alert = await client('GET', `/v1/alerts/${encodeURIComponent(args[0]!)}`, alertAnswerSchema);
      if (options.json) {
        write(`${JSON.stringify(alert, null, 2)}\n`);
        return EXIT.ok;
      }
      write(`${alert.id}  ${alert.status}  delivery ${alert.delivery_state}\nTemporal UI: ${alert.links.temporal_ui}\n\n`);
      const rows = alert.destinations.flatMap((d) => d.events.map((e) => [d.name, d.type, e.event_type, e.state, String(e.attempts.length), lastOutcome(e.attempts)]));
      write(table(['DESTINATION', 'TYPE', 'EVENT', 'STATE', 'ATTEMPTS', 'LAST'], rows));
      return EXIT.ok;
    },
  },
  'alerts resolve': closeCommand('resolve', 'alerts resolve <id> [--reason R] [--by B]                      resolve it (destinations get the resolve)'),
  'alerts dismiss': closeCommand('dismiss', 'alerts dismiss <id> [--reason R] [--by B]                      dismiss it (a false positive)'),
  'alerts ack': acknowledgementCommand('acknowledge', 'alerts ack <id> [--by B] [--until T]                           acknowledge it (somebody is on it); T an ISO 8601 time', {
    changed: 'acknowledged',
    unchanged: 'already acknowledged, nothing sent',
  }),
  'alerts unack': acknowledgementCommand('unacknowledge', 'alerts unack <id> [--by B]                                     take the acknowledgement back: triggered again', {
    changed: 'triggered again',
    unchanged: 'was not acknowledged, nothing sent',
  }),
  'destinations list': {
    usage: 'destinations list [--json]                                     destinations, secrets masked',
    options: { json: { type: 'boolean' } },
    positionals: 0,
    async run({ options, client, write }) {
      const list = await client('GET', '/v1/destinations', destinationListSchema);
      if (options.json) write(`${JSON.stringify(list, null, 2)}\n`);
      else write(table(['ID', 'NAME', 'TYPE', 'ENABLED', 'TARGET', 'NEEDS ATTENTION'], list.data.map((d) => [d.id, d.name, d.type, d.enabled ? 'yes' : 'no', d.target, d.needs_attention ?? ''])));
      return EXIT.ok;
    },
  },
  'destinations test': {
    usage: 'destinations test <id> [--json]                                send a test event now and show what happened',
    options: { json: { type: 'boolean' } },
    positionals: 1,
    async run({ args, options, client, write }) {
      const result = await client('POST', `/v1/destinations/${encodeURIComponent(args[0]!)}/test`, testResultSchema);
      if (options.json) write(`${JSON.stringify(result, null, 2)}\n`);
      else write(`${result.success ? 'delivered' : 'failed'} in ${result.duration_ms} ms${result.status_code !== undefined ? `, HTTP ${result.status_code}` : ''}${result.error ? `: ${result.error}` : ''}\n`);
      return result.success ? EXIT.ok : EXIT.refused;
    },
  },
  'silences list': {
    usage: 'silences list [--state pending|active|expired] [--json]        silences, newest first',
    options: { state: { type: 'string' }, json: { type: 'boolean' } },
    positionals: 0,
    async run({ options, client, write }) {
      const state = options.state ? `?state=${oneOf('--state', String(options.state), ['pending', 'active', 'expired'] as const)}` : '';
      const list = await client('GET', `/v1/silences${state}`, silenceListSchema);
      if (options.json) write(`${JSON.stringify(list, null, 2)}\n`);
      else write(table(['ID', 'STATE', 'ENDS', 'BY', 'MATCHERS', 'COMMENT'], list.data.map((s) => [s.id, s.state, s.ends_at, s.created_by, s.matchers.map((m) => `${m.name}${m.op}${m.value}`).join(', '), s.comment])));
      return EXIT.ok;
    },
  },
  'silences add': {
    usage: `silences add --matcher M [--matcher M …] --hours H --by B [--comment C]
                                                                 silence what the matchers match for H hours; M is
                                                                 name=value, name!=value, name=~regex or name!~regex`,
    options: { matcher: { type: 'string', multiple: true }, hours: { type: 'string' }, by: { type: 'string' }, comment: { type: 'string' } },
    positionals: 0,
    async run({ options, client, write }) {
      const hours = Number(options.hours);
      if (!options.hours || !Number.isFinite(hours) || hours <= 0) throw new CommandError('--hours must be a number of hours above 0', EXIT.usage);
      const matchers = ((options.matcher as string[] | undefined) ?? []).map(parseMatcher);
      const body = { matchers, ends_at: new Date(Date.now() + hours * 3600_000).toISOString(), created_by: String(options.by ?? ''), comment: String(options.comment ?? '') };
      const created = await client('POST', '/v1/silences', silenceSchema, body);
      write(`${created.id}: ${created.state} until ${created.ends_at}\n`);
      return EXIT.ok;
    },
  },
  'silences expire': {
    usage: 'silences expire <id>                                           expire it now: the alerts it holds go out if they still fire',
    options: {},
    positionals: 1,
    async run({ args, client, write }) {
      const expired = await client('DELETE', `/v1/silences/${encodeURIComponent(args[0]!)}`, silenceSchema);
      write(`${expired.id}: expired; ${expired.released?.length ?? 0} held alerts told to look again\n`);
      return EXIT.ok;
    },
  },
  'groups list': {
    usage: 'groups list [--status firing|resolved] [--json]                alert groups, newest first',
    options: { status: { type: 'string' }, json: { type: 'boolean' } },
    positionals: 0,
    async run({ options, client, write }) {
      const status = options.status ? `?status=${oneOf('--status', String(options.status), ['firing', 'resolved'] as const)}` : '';
      const list = await client('GET', `/v1/groups${status}`, groupListSchema);
      if (options.json) write(`${JSON.stringify(list, null, 2)}\n`);
      else write(table(['ID', 'STATUS', 'FIRING', 'ALERTS', 'SENT', 'NAME', 'KEY'], list.data.map((g) => [g.id, g.status, String(g.firing_count), String(g.member_count), String(g.notifications), g.name, Object.entries(g.key).map(([k, v]) => `${k}=${v}`).join(', ')])));
      return EXIT.ok;
    },
  },
};

/** `name=value`, `name!=value`, `name=~regex`, `name!~regex`: a silence's matcher (README "Silences"). */
function parseMatcher(text: string): { name: string; op: '=' | '!=' | '=~' | '!~'; value: string } {
  const found = /^([^=!~]+?)(=~|!~|!=|=)(.*)$/.exec(text);
  if (!found) throw new CommandError(`--matcher ${JSON.stringify(text)} must read name=value, name!=value, name=~regex or name!~regex`, EXIT.usage);
  return { name: found[1]!.trim(), op: found[2] as '=' | '!=' | '=~' | '!~', value: found[3]! };
}

function closeCommand(action: 'resolve' | 'dismiss', usage: string): CommandSpec {
  return {
    usage,
    options: { reason: { type: 'string' }, by: { type: 'string' } },
    positionals: 1,
    async run({ args, options, client, write }: Command) {
      const body = { ...(options.reason && { reason: String(options.reason) }), ...(options.by && { by: String(options.by) }) };
      const accepted = await client('POST', `/v1/alerts/${encodeURIComponent(args[0]!)}/${action}`, signalAcceptedSchema, body);
      write(`${accepted.id}: ${action} accepted\n`);
      return EXIT.ok;
    },
  };
}

/** `ack` and `unack`: the API says whether anything changed (`changed: false` sent nothing), and so does the command. */
function acknowledgementCommand(action: 'acknowledge' | 'unacknowledge', usage: string, says: { changed: string; unchanged: string }): CommandSpec {
  return {
    usage,
    options: { by: { type: 'string' }, ...(action === 'acknowledge' && { until: { type: 'string' as const } }) },
    positionals: 1,
    async run({ args, options, client, write }: Command) {
      const body = { ...(options.by && { by: String(options.by) }), ...(options.until && { until: String(options.until) }) };
      const accepted = await client('POST', `/v1/alerts/${encodeURIComponent(args[0]!)}/${action}`, signalAcceptedSchema, body);
      write(`${accepted.id}: ${accepted.changed === false ? says.unchanged : says.changed}\n`);
      return EXIT.ok;
    },
  };
}

/** What the newest attempt came to: its error, else its HTTP status (nothing before the first). */
function lastOutcome(attempts: ReadonlyArray<{ error?: string; status_code?: number }>): string {
  const last = attempts.at(-1);
  return last?.error ?? (last?.status_code !== undefined ? String(last.status_code) : '');
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CommandError(`${flag} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`, EXIT.usage);
  return value as T;
}

const GROUPS = 'alerts|destinations|silences|groups';

/** The usage lines of every command whose name starts with `prefix` (all of them for ''). */
export function operatorUsage(prefix = ''): string {
  const lines = Object.entries(COMMANDS).filter(([name]) => name === prefix || name.startsWith(prefix ? `${prefix} ` : '')).map(([, c]) => `  ${c.usage}`);
  return `usage: herald <${GROUPS}> <command> [options]     (HERALD_URL, HERALD_API_KEY)\n${lines.join('\n')}\n${EXIT_CODES}`;
}

export const OPERATOR_USAGE = operatorUsage();

/** What `--help` covers: the command named, else its group (`herald alerts --help`), else everything. */
function helpScope(argv: string[]): string {
  const name = argv.slice(0, 2).join(' ');
  if (COMMANDS[name]) return name;
  return GROUPS.split('|').includes(argv[0] ?? '') ? argv[0]! : '';
}

/** Runs one operator command; resolves to its exit code. Output goes to `write`, problems to `writeError`. */
export async function runOperatorCli(argv: string[], env: NodeJS.ProcessEnv, write: Write, writeError: Write): Promise<number> {
  const name = argv.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (argv.includes('--help') || argv.includes('-h')) {
    write(`${operatorUsage(helpScope(argv))}\n`);
    return EXIT.ok;
  }
  if (!command) {
    writeError(`${OPERATOR_USAGE}\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({ args: argv.slice(2), options: command.options, allowPositionals: true, strict: true });
    if (positionals.length !== command.positionals) throw new CommandError(`herald ${name} takes ${command.positionals === 0 ? 'no argument' : 'one id'}\n${operatorUsage(name)}`, EXIT.usage);
    return await command.run({ args: positionals, options: values, client: clientFrom(env), write });
  } catch (err) {
    if (err instanceof CommandError) {
      writeError(`herald ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    // parseArgs' own errors (an unknown option, a missing value) are command-line mistakes.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      writeError(`herald ${name}: ${(err as Error).message}\n${operatorUsage(name)}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
