/**
 * A secret shown masked (••••••) until asked: "Show" reads it from the server on demand
 * (`listSecrets`, `listValue`), so the page never holds it before; "Hide" forgets it again, and
 * "Copy" puts it on the clipboard. `name` says which secret, for the buttons' accessible names.
 */
import { useState } from 'preact/hooks';
import { ProblemMessage } from './problem-message.js';

export const mask = '••••••';

export function SecretValue({ name, read }: { name: string; read: () => Promise<string> }) {
  const [value, setValue] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [copied, setCopied] = useState(false);
  const show = async () => {
    setError(undefined);
    try {
      setValue(await read());
    } catch (err) {
      setError(err);
    }
  };
  const copy = async () => {
    if (value === undefined) return;
    setCopied(false);
    if (!navigator.clipboard) {
      setError(new Error('The browser copies only on a secure page (HTTPS, or 127.0.0.1): select the key and copy it yourself.'));
      return;
    }
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <span class="secret-value">
      <code data-secret={name}>{value ?? (
          <>
            <span aria-hidden="true">{mask}</span>
            <span class="visually-hidden">hidden</span>
          </>
        )}</code>
      {value === undefined ? (
        <button type="button" class="small" aria-label={`Show ${name}`} onClick={show}>
          Show
        </button>
      ) : (
        <>
          <button type="button" class="small" aria-label={`Copy ${name}`} onClick={copy}>
            Copy
          </button>
          <button type="button" class="small" aria-label={`Hide ${name}`} onClick={() => { setValue(undefined); setCopied(false); }}>
            Hide
          </button>
        </>
      )}
      <span role="status" class="visually-hidden">
        {copied ? `${name} copied.` : ''}
      </span>
      <ProblemMessage error={error} />
    </span>
  );
}
