/**
 * A new password typed twice (sign-up, setting a new password, the profile's password change):
 * the browser may offer to generate one (`autocomplete="new-password"`), and the page checks that
 * both are the same before anything is sent. The server decides what it accepts.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';

export interface NewPassword {
  password: string;
  /** Throws when the two fields differ (useSubmit shows it next to the form). */
  checked(): string;
  /** Empties both fields (after a change was saved). */
  reset(): void;
  fields: JSX.Element;
}

/** The two fields, labelled `label` and "Repeat the …", with ids from `id`. */
export function useNewPassword(id: string, label = 'Password'): NewPassword {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const checked = () => {
    if (password !== repeated) throw new Error('The two passwords are not the same. Type the same password in both fields.');
    return password;
  };
  const fields = (
    <>
      <label for={id}>{label}</label>
      <input id={id} name={id} type="password" autocomplete="new-password" required value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
      <label for={`${id}-repeat`}>Repeat the {label.toLowerCase()}</label>
      <input id={`${id}-repeat`} name={`${id}-repeat`} type="password" autocomplete="new-password" required value={repeated} onInput={(e) => setRepeated((e.currentTarget as HTMLInputElement).value)} />
    </>
  );
  const reset = () => {
    setPassword('');
    setRepeated('');
  };
  return { password, checked, reset, fields };
}
