/** A stored user's properties as the gateway's model; read by store-config/service-config-from-entities.ts. */
import type { User } from '../../model/resources.js';
import type { JsonFields } from './json-fields.js';
import { lastSegment } from './resource-id.js';

/** A user's ARM `properties` → the model; `groups` as written (names or ARM group objects). */
export function userFromProperties(name: string, p: JsonFields): User {
  // ARM lists groups as objects ({id|name}); hand-written files may list names.
  const groups: string[] = [];
  const raw = p.raw('groups');
  if (Array.isArray(raw)) {
    raw.forEach((g, i) => {
      if (typeof g === 'string') groups.push(lastSegment(g));
      else if (g && typeof g === 'object' && 'name' in g && typeof g.name === 'string') groups.push(g.name);
      else if (g && typeof g === 'object' && 'id' in g && typeof g.id === 'string') groups.push(lastSegment(g.id));
      else p.fail(`groups[${i}]`, 'must be a group name or an object with a name or id');
    });
  } else if (raw !== undefined && raw !== null) {
    p.fail('groups', 'must be an array');
  }
  return {
    name,
    email: p.string('email'),
    firstName: p.string('firstName'),
    lastName: p.string('lastName'),
    note: p.string('note'),
    registrationDate: p.string('registrationDate'),
    groups,
  };
}
