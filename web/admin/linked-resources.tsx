/**
 * A list of links between a resource and others (a product's APIs, a product's groups, a
 * group's members): the linked ones, each with a remove button, and a drop-down of the ones not
 * linked yet with an add button. A link is ARM's PUT (no body) and DELETE of
 * `{collection}/{name}`, run as the page's action.
 */
import { useState } from 'preact/hooks';
import { SelectField, type Choice } from './form-fields.js';
import type { ManagementClient } from './management-client.js';
import type { Action } from './use-action.js';

export interface Linkable {
  name: string;
  label: string;
}

export function LinkedResources(props: {
  id: string;
  title: string;
  /** The singular of what is linked, for the buttons and notices ("API", "group", "member"). */
  noun: string;
  /** What the notices say it is linked to ("the product"). */
  owner: string;
  /** The path of the links, e.g. `/products/gold/apis`. */
  collection: string;
  linked: Linkable[];
  candidates: Linkable[];
  empty: string;
  client: ManagementClient;
  action: Action;
}) {
  const { client, action, collection, noun, owner } = props;
  const at = (name: string) => `${collection}/${encodeURIComponent(name)}`;
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  const add = (item: Linkable) => action.run(() => client.put(at(item.name), undefined), `${Noun} ${item.label} added to ${owner}.`);
  const remove = (item: Linkable) => action.run(() => client.delete(at(item.name)), `${Noun} ${item.label} removed from ${owner}.`);
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
              <button type="button" class="danger small" disabled={action.busy} aria-label={`Remove ${noun} ${item.label}`} onClick={() => remove(item)}>
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
            const item = props.candidates.find((c) => c.name === selected);
            if (item) add(item);
          }}
        >
          <SelectField id={`${props.id}-add`} label={`Add ${noun}`} value={selected} choices={choices} onValue={setChosen} />
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Add {noun}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
