// One input of a form generated from a FieldSpec: its label, help, and the problems the API named for it.
import type { FieldSpec, Problem, Raw } from './spec';

const idFor = (path: string) => `field-${path.replace(/\./g, '-')}`;

type Props = { field: FieldSpec; value: Raw; problems: Problem[]; onChange: (value: Raw) => void };

export function Field({ field, value, problems, onChange }: Props) {
  const id = idFor(field.path);
  const describedBy = [field.help && `${id}-help`, problems.length > 0 && `${id}-error`].filter(Boolean).join(' ') || undefined;
  // `required` only marks the field (the forms are noValidate): the API's message shows beside it like any other.
  const common = { id, required: field.required, 'aria-describedby': describedBy, 'aria-invalid': problems.length > 0 || undefined };
  const text = (value as string) ?? '';
  const onInput = (e: Event) => onChange((e.currentTarget as HTMLInputElement).value);

  if (field.kind === 'choices') {
    const chosen = value as string[];
    return (
      <fieldset class="field choices" aria-describedby={describedBy}>
        <legend>{field.label}</legend>
        {field.options!.map((option) => (
          <label key={option}>
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, option] : chosen.filter((c) => c !== option))}
            />{' '}
            {field.optionLabels?.[option] ?? option}
          </label>
        ))}
        <Notes id={id} field={field} problems={problems} />
      </fieldset>
    );
  }

  let input;
  switch (field.kind) {
    case 'checkbox':
      input = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
      break;
    case 'select':
      input = (
        <select {...common} value={text} onChange={onInput}>
          {!field.required && <option value="">(not set)</option>}
          {field.options!.map((option) => (
            <option key={option} value={option}>
              {field.optionLabels?.[option] ?? option}
            </option>
          ))}
        </select>
      );
      break;
    case 'pairs':
    case 'multiline':
    case 'json':
      input = <textarea {...common} value={text} onInput={onInput} rows={field.kind === 'pairs' ? 3 : 5} spellcheck={false} />;
      break;
    default: {
      const type = field.kind === 'secret' ? 'password' : field.kind === 'url' ? 'url' : 'text';
      const inputMode = field.kind === 'number' ? 'decimal' : undefined;
      input = <input {...common} type={type} inputMode={inputMode} value={text} onInput={onInput} autoComplete="off" spellcheck={false} />;
    }
  }
  return (
    <div class={`field ${field.kind}`}>
      <label for={id} class={field.required ? 'required' : undefined}>
        {field.label}
      </label>
      {input}
      <Notes id={id} field={field} problems={problems} />
    </div>
  );
}

function Notes({ id, field, problems }: { id: string; field: FieldSpec; problems: Problem[] }) {
  return (
    <>
      {field.help && (
        <small id={`${id}-help`} class="help">
          {field.help}
        </small>
      )}
      {problems.length > 0 && (
        <small id={`${id}-error`} class="error">
          {problems.map((p) => (p.path === field.path ? p.message : `${p.path.slice(field.path.length + 1)}: ${p.message}`)).join('; ')}
        </small>
      )}
    </>
  );
}
