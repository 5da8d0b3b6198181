/**
 * The end of a sign-in form, the same in the admin console (the admin token) and the developer
 * portal (the password): the secret's field, the button that shows while signing in, and what
 * the server refused, announced and tied to the field.
 */
import type { Submit } from './use-submit.js';
import { ProblemMessage } from './problem-message.js';

export interface SecretSignInProps {
  id: string;
  name: string;
  label: string;
  /** `current-password` for a password; `off` for a token. */
  autocomplete: string;
  value: string;
  onValue(value: string): void;
  submit: Submit;
}

/** The secret's input and the submit button (inside the form). */
export function SecretField({ id, name, label, autocomplete, value, onValue, submit }: SecretSignInProps) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="password"
        autocomplete={autocomplete}
        spellcheck={false}
        required
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-describedby={submit.error ? 'sign-in-problem' : undefined}
      />
      <button type="submit" disabled={submit.busy}>
        {submit.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </>
  );
}

/** What the sign-in was refused for (after the form). */
export function SignInProblem({ submit }: { submit: Submit }) {
  return <ProblemMessage error={submit.error} id="sign-in-problem" />;
}
