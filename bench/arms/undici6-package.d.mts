/** The npm alias undici 6 is installed under beside the product's undici 7. */
export const undici6Alias: string;
/** For a check without the alias installed: a folder holding undici 6's package.json. */
export const undici6DirVariable: string;
/** undici 6's entry file URL and version as resolved from `root`; throws saying how to install it. */
export function locateUndici6(root: string): { version: string; entryUrl: string };
/** Whether undici 6 can be located from `root`. */
export function undici6Installed(root: string): boolean;
/** The line the hook prints the first time a process's gateway code imports `undici`. */
export function redirectLine(pid: number, version: string, importer: string): string;
/** The pid, undici version and importing module a redirect line names; null for any other line. */
export function parseRedirectLine(line: string): { pid: number; version: string; importer: string } | null;
