// The fields of a generated form, grouped into fieldsets, showing only those that apply to the values.
import { Field } from './Field';
import { problemsFor, visible, type FieldSpec, type Problem, type Values } from './spec';

type Props = { fields: readonly FieldSpec[]; values: Values; problems: readonly Problem[]; onChange: (values: Values) => void };

export function FormFields({ fields, values, problems, onChange }: Props) {
  const shown = visible(fields, values);
  const groups = [...new Set(shown.map((f) => f.group))];
  return (
    <>
      {groups.map((group) => (
        <fieldset key={group} class="group">
          <legend>{group}</legend>
          {shown
            .filter((f) => f.group === group)
            .map((field) => (
              <Field
                key={field.path}
                field={field}
                value={values[field.path] ?? (field.kind === 'choices' ? [] : '')}
                problems={problemsFor(field.path, problems)}
                onChange={(value) => onChange({ ...values, [field.path]: value })}
              />
            ))}
        </fieldset>
      ))}
    </>
  );
}

/** Every problem in one list at the top of a form, announced when it appears. */
export function ProblemSummary({ problems, message }: { problems: readonly Problem[]; message?: string }) {
  if (problems.length === 0 && !message) return null;
  return (
    <div role="alert" class="problems">
      <p>{message ?? 'Please fix these fields:'}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={p.path + p.message}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
