/**
 * A list of links between a resource and others (a product's APIs, a product's groups, a
 * group's members): the linked ones, each with a remove button, and a drop-down of the ones not
 * linked yet with an add button. The parent does the PUT and DELETE of the link.
 */
import { useState } from 'preact/hooks';
import { SelectField, type Choice } from './form-fields.js';

export interface Linkable {
  name: string;
  label: string;
}

export function LinkedResources(props: {
  id: string;
  title: string;
  /** The singular of what is linked, for the buttons ("API", "group", "member"). */
  noun: string;
  linked: Linkable[];
  candidates: Linkable[];
  busy: boolean;
  empty: string;
  onAdd: (name: string) => void;
  onRemove: (item: Linkable) => void;
}) {
  const linkedNames = new Set(props.linked.map((l) => l.name));
  const choices: Choice[] = props.candidates.filter((c) => !linkedNames.has(c.name)).map((c) => ({ value: c.name, label: c.label }));
  const [chosen, setChosen] = useState('');
  const selected = choices.some((c) => c.value === chosen) ? chosen : (choices[0]?.value ?? '');
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.linked.length === 0 ? <p>{props.empty}</p> : null}
      {props.linked.length > 0 ? (
        <ul class="linked" id={props.id}>
          {props.linked.map((item) => (
            <li key={item.name} data-linked={item.name}>
              <span>{item.label}</span>
              <button type="button" class="danger small" disabled={props.busy} aria-label={`Remove ${props.noun} ${item.label}`} onClick={() => props.onRemove(item)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {choices.length > 0 ? (
        <form
          class="resource-form inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected) props.onAdd(selected);
          }}
        >
          <SelectField id={`${props.id}-add`} label={`Add ${props.noun}`} value={selected} choices={choices} onValue={setChosen} />
          <div class="actions">
            <button type="submit" disabled={props.busy}>
              Add {props.noun}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
