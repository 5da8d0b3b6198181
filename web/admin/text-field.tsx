/**
 * A labelled text input (or a select, given options) in a form: the label above the control,
 * an optional hint tied to it with aria-describedby.
 */
export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  hint?: string;
  type?: 'text' | 'url';
  /** A select instead of a text input: [value, label] pairs. */
  options?: Array<[string, string]>;
  multiline?: boolean;
}

export function TextField({ id, label, value, onInput, required, hint, type = 'text', options, multiline }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const read = (e: Event) => onInput((e.currentTarget as HTMLInputElement).value);
  const inputProps = { value, onInput: read, required, 'aria-describedby': hintId, spellcheck: false, autocomplete: 'off' };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {options ? (
        <select id={id} value={value} onChange={read} aria-describedby={hintId}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      ) : multiline ? (
        <textarea id={id} value={value} onInput={read} aria-describedby={hintId} rows={3} />
      ) : type === 'url' ? (
        <input id={id} type="url" {...inputProps} />
      ) : (
        <input id={id} type="text" {...inputProps} />
      )}
      {hint ? (
        <span id={hintId} class="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
