// Forms are data: each field names where its value goes in the API body, so the same list renders the
// form, turns its inputs into the request, maps the API's 400 field paths back onto the inputs, and is
// checked against the API's zod schemas by test/browser/form-fields.test.ts. Pure: no DOM here.

export type Kind =
  | 'text'
  | 'secret' // a password input; the API shows it masked and a masked value sent back keeps it
  | 'url'
  | 'number'
  | 'checkbox'
  | 'select'
  | 'choices' // several checkboxes → string[]
  | 'list' // comma-separated → string[]
  | 'numbers' // comma-separated → number[]
  | 'pairs' // "key: value" lines → Record<string, string>
  | 'multiline' // text with line breaks kept (a PEM certificate)
  | 'json';

export type FieldSpec = {
  /** Where the value goes in the API body, dot-separated (as the API names fields in its errors). */
  path: string;
  label: string;
  kind: Kind;
  /** Legend of the fieldset the field belongs to. */
  group: string;
  options?: readonly string[];
  /** What each option is called on screen, when not its value (destination names for their ids). */
  optionLabels?: Record<string, string>;
  help?: string;
  required?: boolean;
  /** Shown (and sent) only while another field has one of these values. */
  when?: { path: string; is: readonly string[] };
  /** Sent when left blank, so an edit can clear it (`{}` headers); otherwise a blank field is left out. */
  blank?: unknown;
};

export type Raw = string | boolean | string[];
export type Values = Record<string, Raw>;
export type Problem = { path: string; message: string };

export const visible = (fields: readonly FieldSpec[], values: Values) =>
  fields.filter((f) => !f.when || f.when.is.includes(String(values[f.when.path] ?? '')));

function getPath(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), object);
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let target = object;
  for (const key of keys) target = (target[key] ??= {}) as Record<string, unknown>;
  target[last] = value;
}

const splitList = (raw: string) => raw.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);

/** An API value as the input shows it. */
function format(field: FieldSpec, value: unknown): Raw {
  switch (field.kind) {
    case 'checkbox':
      return value === true;
    case 'choices':
      return Array.isArray(value) ? value.map(String) : [];
    case 'list':
    case 'numbers':
      return Array.isArray(value) ? value.join(', ') : '';
    case 'pairs':
      return Object.entries((value ?? {}) as Record<string, string>).map(([k, v]) => `${k}: ${v}`).join('\n');
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
    default:
      return value === undefined || value === null ? '' : String(value);
  }
}

/** An input's value as the API takes it; undefined when blank; throws a message when unreadable. */
function parse(field: FieldSpec, raw: Raw): unknown {
  if (typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.length > 0 ? raw : field.blank;
  if (raw.trim() === '') return field.blank;
  switch (field.kind) {
    case 'number': {
      const number = Number(raw.trim());
      if (Number.isNaN(number)) throw new Error('must be a number');
      return number;
    }
    case 'numbers': {
      const numbers = splitList(raw).map(Number);
      if (numbers.some(Number.isNaN)) throw new Error('must be numbers separated by commas');
      return numbers;
    }
    case 'list':
      return splitList(raw);
    case 'pairs':
      return Object.fromEntries(
        raw.split('\n').filter((line) => line.trim()).map((line) => {
          const colon = line.indexOf(':');
          if (colon < 1) throw new Error(`"${line.trim()}" is not "key: value"`);
          return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        }),
      );
    case 'json':
      try {
        return JSON.parse(raw);
      } catch (err) {
        throw new Error(`is not valid JSON (${(err as Error).message})`);
      }
    default:
      return raw;
  }
}

/** The form's inputs for an API object (or defaults). */
export function toValues(fields: readonly FieldSpec[], object: unknown): Values {
  return Object.fromEntries(fields.map((f) => [f.path, format(f, getPath(object, f.path))]));
}

/** The API body from the visible inputs, or the inputs that cannot be read. */
export function toBody(fields: readonly FieldSpec[], values: Values): { body: Record<string, unknown>; problems: Problem[] } {
  const body: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const field of visible(fields, values)) {
    try {
      const value = parse(field, values[field.path] ?? '');
      if (value !== undefined) setPath(body, field.path, value);
    } catch (err) {
      problems.push({ path: field.path, message: (err as Error).message });
    }
  }
  return { body, problems };
}

/** The problems an input shows: its own and those of anything inside it (`retry_schedule.2`). */
export const problemsFor = (path: string, problems: readonly Problem[]) =>
  problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));
