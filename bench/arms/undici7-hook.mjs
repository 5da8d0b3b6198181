// `node --import bench/arms/undici7-hook.mjs bin/gatehouse.js ...`: Gatehouse with the gateway's
// `undici` imports resolved to undici 7 (the `gatehouse-typical-undici7` arm). Registers
// undici7-resolve-hook.mjs for this process; a gateway worker forked by node:cluster gets the
// same --import through its exec arguments. Fails at start when undici 7 is not installed.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { locateUndici7 } from './undici7-package.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version, entryUrl } = locateUndici7(root);
register('./undici7-resolve-hook.mjs', import.meta.url, {
  data: { version, entryUrl, rootUrl: new URL('../../', import.meta.url).href },
});
