// Module resolve hook (registered by undici6-hook.mjs): the bare specifier `undici` imported by
// Gatehouse's built code (dist/) resolves to undici 6. Other importers (npm packages) keep theirs.
// The first redirect in a process prints one line on stdout (synchronously, before the importing
// module runs), which the arm reads to prove the gateway process really runs undici 6.
import { writeSync } from 'node:fs';
import { redirectLine } from './undici6-package.mjs';

let target = null;
let announced = false;

export function initialize(data) {
  target = { ...data, distUrl: new URL('dist/', data.rootUrl).href };
}

export async function resolve(specifier, context, nextResolve) {
  const importer = context.parentURL;
  if (specifier !== 'undici' || target === null || importer === undefined || !importer.startsWith(target.distUrl)) {
    return nextResolve(specifier, context);
  }
  if (!announced) {
    announced = true;
    writeSync(1, `${redirectLine(process.pid, target.version, importer.slice(target.rootUrl.length))}\n`);
  }
  return nextResolve(target.entryUrl, context);
}
