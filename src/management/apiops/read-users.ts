/** Reads `users/<name>/userInformation.json` when an export carries users. */
import { join } from 'node:path';
import type { User } from '../../model/resources.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import { lastSegment } from './resource-id.js';
import { UniqueNames } from './unique-names.js';

/** Reads every user folder; group membership comes from the user's `groups` when written. */
export async function readUsers(ctx: FolderContext, dir: string): Promise<User[]> {
  const out: User[] = [];
  const names = new UniqueNames('user');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const info = await readInformationFile(ctx, join(dir, folder, 'userInformation.json'));
    const p = info.properties;
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
    const name = resourceName(info, folder);
    names.claim(name, info.file);
    out.push({
      name,
      email: p.string('email'),
      firstName: p.string('firstName'),
      lastName: p.string('lastName'),
      note: p.string('note'),
      registrationDate: p.string('registrationDate'),
      groups,
    });
  }
  return out;
}
