// The console's forms are lists of fields (console/src/*/fields.ts). Each field must name a path the
// API's own zod schema accepts, its options must be the schema's, and no setting may be left without
// a field: a schema change that the forms miss fails here rather than in an operator's browser.
import { destinationInputSchema } from '../../src/destinations/schema';
import { inboundAlertSchema } from '../../src/domain/alert';
import { ruleInputSchema } from '../../src/api/rules';
import { destinationFields } from '../../console/src/destinations/fields';
import { EXAMPLE_FIELDS, ruleFields } from '../../console/src/rules/fields';
import type { FieldSpec } from '../../console/src/form/spec';
import { DESTINATION_TYPES } from '../../console/src/types';

// Zod 4's schema definitions, as far as these forms need them.
type Def = {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  options?: Schema[];
  keyType?: Schema;
  valueType?: Schema;
  element?: Schema;
  entries?: Record<string, string>;
  values?: unknown[];
};
type Schema = { _zod: { def: Def } };

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'pipe']);

/** The schema's alternatives, wrappers removed and unions spread out. */
function alternatives(schema: Schema): Schema[] {
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type)) return alternatives(def.type === 'pipe' ? def.in! : def.innerType!);
  if (def.type === 'union') return def.options!.flatMap(alternatives);
  return [schema];
}

/** The schemas a dotted path reaches (none: the API would refuse the field). */
function at(schema: Schema, path: string): Schema[] {
  return path.split('.').reduce<Schema[]>(
    (found, key) =>
      found.flatMap(alternatives).flatMap((s) => {
        const def = s._zod.def;
        if (def.type === 'object') return def.shape![key] ? [def.shape![key]!] : [];
        if (def.type === 'record') return values(def.keyType!).length === 0 || values(def.keyType!).includes(key) ? [def.valueType!] : [];
        return [];
      }),
    [schema],
  );
}

/** The values an enum or literal allows (an array's elements'); none for anything else. */
function values(schema: Schema): string[] {
  return alternatives(schema).flatMap((s) => {
    const def = s._zod.def;
    if (def.type === 'enum') return Object.values(def.entries!);
    if (def.type === 'literal') return def.values!.map(String);
    if (def.type === 'array') return values(def.element!);
    return [];
  });
}

/** Every setting's path: object keys all the way down, through unions, up to records and lists. */
function settings(schema: Schema, prefix = ''): string[] {
  return alternatives(schema).flatMap((s) => {
    const def = s._zod.def;
    if (def.type !== 'object') return prefix ? [prefix] : [];
    return Object.entries(def.shape!).flatMap(([key, inner]) => settings(inner, prefix ? `${prefix}.${key}` : key));
  });
}

function expectFieldsMatch(schema: Schema, fields: FieldSpec[], notInForm: string[]) {
  for (const field of fields) {
    expect({ path: field.path, reaches: at(schema, field.path).length > 0 }).toEqual({ path: field.path, reaches: true });
    const allowed = at(schema, field.path).flatMap(values);
    if (field.options && allowed.length > 0) expect({ path: field.path, options: [...field.options].sort() }).toEqual({ path: field.path, options: [...new Set(allowed)].sort() });
  }
  const covered = (setting: string) => fields.some((f) => f.path === setting || f.path.startsWith(`${setting}.`) || setting.startsWith(`${f.path}.`));
  const left = (setting: string) => notInForm.some((n) => setting === n || setting.startsWith(`${n}.`));
  expect([...new Set(settings(schema))].filter((s) => !covered(s) && !left(s))).toEqual([]);
}

const typeSchema = (type: string) => (destinationInputSchema as unknown as Schema)._zod.def.options!.find((o) => o._zod.def.shape!.type!._zod.def.values![0] === type)!;

describe('console forms against the API schemas', () => {
  it.each(DESTINATION_TYPES)('the %s destination form covers its schema', (type) => {
    // `type` is the form's type selector; the previous secret is set only by POST …/secret/rotate.
    expectFieldsMatch(typeSchema(type), destinationFields(type), ['type', 'config.previous_signing_secret']);
  });

  it('the rule form covers the rule schema', () => {
    expectFieldsMatch(ruleInputSchema as unknown as Schema, ruleFields([]), []);
  });

  it('the preview example alert uses fields of an inbound alert', () => {
    for (const field of EXAMPLE_FIELDS) expect(at(inboundAlertSchema as unknown as Schema, field.path)).not.toHaveLength(0);
    expect(values(at(inboundAlertSchema as unknown as Schema, 'severity')[0]!).sort()).toEqual([...EXAMPLE_FIELDS.find((f) => f.path === 'severity')!.options!].sort());
  });
});
