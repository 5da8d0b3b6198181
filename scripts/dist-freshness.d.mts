/** Why dist/ under `root` is stale: one line per reason (at most `limit`), empty when it is fresh. */
export function staleBuildReasons(root: string, limit?: number): string[];
