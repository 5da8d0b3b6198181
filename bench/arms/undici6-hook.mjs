// `node --import bench/arms/undici6-hook.mjs bin/gatehouse.js ...`: Gatehouse with the gateway's
// `undici` imports resolved to undici 6 (the `gatehouse-typical-undici6` arm), the version the
// product ran on before it moved to undici 7. Registers undici6-resolve-hook.mjs for this
// process; a gateway worker forked by node:cluster gets the same --import through its exec
// arguments. Fails at start when undici 6 is not installed.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { locateUndici6 } from './undici6-package.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version, entryUrl } = locateUndici6(root);
register('./undici6-resolve-hook.mjs', import.meta.url, {
  data: { version, entryUrl, rootUrl: new URL('../../', import.meta.url).href },
});
