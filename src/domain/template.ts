// Body templates (README "Webhook destination options"): a JSON value whose string leaves may hold
// `{{path}}` placeholders over the outbound event. A leaf that is only a placeholder keeps the value's
// JSON type; inside text a value is written as text. A missing path renders as null (whole leaf) or "" (inside text),
// never as an error at send time. No code runs: a path is names and indexes, nothing else.

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

export type TemplateProblem = { path: string[]; message: string };

/** Every problem in the template, each with the JSON path of the leaf that holds it. */
export function templateProblems(template: unknown, at: string[] = []): TemplateProblem[] {
  if (typeof template === 'string') return stringProblems(template, at);
  if (Array.isArray(template)) return template.flatMap((item, i) => templateProblems(item, [...at, String(i)]));
  if (template !== null && typeof template === 'object') {
    return Object.entries(template).flatMap(([key, value]) => templateProblems(value, [...at, key]));
  }
  return [];
}

function stringProblems(text: string, at: string[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const path = match[1]!;
    if (!PATH.test(path)) problems.push({ path: at, message: `"${match[0]}" is not a placeholder path like {{alert.title}} or {{event.details.column_name}}` });
  }
  const unmatched = text.replace(PLACEHOLDER, '');
  if (unmatched.includes('{{') || unmatched.includes('}}')) {
    problems.push({ path: at, message: 'has an unbalanced "{{" or "}}"' });
  }
  return problems;
}

export function renderTemplate(template: unknown, data: unknown): unknown {
  if (typeof template === 'string') return renderString(template, data);
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, data));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderTemplate(value, data)]));
  }
  return template;
}

function renderString(text: string, data: unknown): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole) return lookup(data, whole[1]!) ?? null;
  return text.replace(PLACEHOLDER, (_m, path: string) => {
    const value = lookup(data, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** The value at `a.b[0].c` (or `a.b.0.c`), or undefined when any step is missing. */
export function lookup(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const step of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
