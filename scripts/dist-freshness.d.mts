/** Why dist/ under `root` is stale: one line per reason (at most `limit`), empty when it is fresh. */
export function staleBuildReasons(root: string, limit?: number): string[];
/** Why dist/'s server code (tsc's output from src/) is stale. */
export function staleServerReasons(root: string, limit?: number): string[];
/** Why the console bundles in dist/web/ (scripts/build-web.mjs's output from web/) are stale. */
export function staleWebReasons(root: string, limit?: number): string[];
