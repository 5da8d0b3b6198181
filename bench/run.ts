/** `npm run bench [-- flags]`: the side-by-side benchmark of bench/README.md. */
import { runHarness } from './harness/run-harness.js';

const root = new URL('..', import.meta.url).pathname;
runHarness(process.argv.slice(2), root).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exit(1);
  },
);
