/** A labelled text input bound to a string state: the account forms' fields (e-mail, names). */
export function TextField({ id, label, value, onValue, type = 'text', autocomplete, required = true }: { id: string; label: string; value: string; onValue: (value: string) => void; type?: 'text' | 'email'; autocomplete?: string; required?: boolean }) {
  const input = { id, name: id, autocomplete, required, value, onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value) };
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'email' ? <input type="email" {...input} /> : <input type="text" {...input} />}
    </>
  );
}
