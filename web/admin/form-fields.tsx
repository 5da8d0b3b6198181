/**
 * Labelled form controls for the console's forms: each input has its own label, an optional
 * help text it is described by, and reports its value (not the event) to the form.
 */
import type { ComponentChildren, InputHTMLAttributes } from 'preact';

interface FieldBase {
  id: string;
  label: string;
  help?: string;
  disabled?: boolean;
}

function Help({ id, help }: { id: string; help?: string }) {
  return help ? (
    <p class="field-help" id={`${id}-help`}>
      {help}
    </p>
  ) : null;
}

/** A one-line text input (or a text area with `multiline`). */
export function TextField(
  props: FieldBase & { value: string; onValue: (value: string) => void; type?: 'text' | 'email' | 'password'; required?: boolean; multiline?: boolean; autocomplete?: string },
) {
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    required: props.required,
    disabled: props.disabled,
    'aria-describedby': props.help ? `${props.id}-help` : undefined,
    onInput: (e: Event) => props.onValue((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.multiline ? <textarea rows={3} {...common} /> : <input {...({ ...common, type: props.type ?? 'text', autocomplete: props.autocomplete ?? 'off', spellcheck: false } as InputHTMLAttributes<HTMLInputElement>)} />}
      <Help id={props.id} help={props.help} />
    </div>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxField(props: FieldBase & { checked: boolean; onChecked: (checked: boolean) => void }) {
  return (
    <div class="field field-checkbox">
      <input
        type="checkbox"
        id={props.id}
        name={props.id}
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.help ? `${props.id}-help` : undefined}
        onChange={(e) => props.onChecked((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={props.id}>{props.label}</label>
      <Help id={props.id} help={props.help} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/** A drop-down list. */
export function SelectField(props: FieldBase & { value: string; choices: Choice[]; onValue: (value: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={props.help ? `${props.id}-help` : undefined}
        onChange={(e) => props.onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <Help id={props.id} help={props.help} />
    </div>
  );
}

/** A form section with a heading, submitted by Enter or its button. */
export function FormSection({ id, title, submitLabel, busy, onSubmit, children }: { id: string; title: string; submitLabel: string; busy: boolean; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form
        class="resource-form"
        id={id}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}
