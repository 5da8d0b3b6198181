/**
 * The `--store` option (DESIGN.md "Command line contract"): `sqlite` (the default, `gatehouse.db`
 * in the data folder) or a PostgreSQL URL. The PostgreSQL schema comes from the URL's `schema`
 * query parameter, else `GATEHOUSE_STORE_SCHEMA`, else `gatehouse`.
 */
import type { OptionRow } from './command-options.js';

/** `--data`: shared by `start`, `import` and `export`. */
export const dataRow: OptionRow = {
  name: 'data',
  kind: 'value',
  valueName: 'DIR',
  environment: true,
  defaultText: '.gatehouse',
  description: 'data folder: SQLite store, encryption key, admin token',
};

/** `--store`: shared by `start`, `import` and `export`. */
export const storeRow: OptionRow = {
  name: 'store',
  kind: 'value',
  valueName: 'sqlite|postgres://…',
  environment: true,
  defaultText: 'sqlite (gatehouse.db in the data folder)',
  description: 'the store; PostgreSQL schema from ?schema=NAME or GATEHOUSE_STORE_SCHEMA',
};

export type StoreChoice =
  | { kind: 'sqlite' }
  | { kind: 'postgres'; connectionString: string; schema: string };

/** A `--store` value the CLI cannot use; the message says what is accepted. */
export class StoreOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOptionError';
  }
}

/** Parses `--store` (undefined = the default SQLite store); `source` names where the text came from. */
export function parseStoreOption(text: string | undefined, env: NodeJS.ProcessEnv = process.env, source = '--store'): StoreChoice {
  if (text === undefined || text.toLowerCase() === 'sqlite') return { kind: 'sqlite' };
  if (!/^postgres(ql)?:\/\//i.test(text)) {
    throw new StoreOptionError(`Invalid ${source} '${redactStore(text)}': expected sqlite or postgres://user:password@host:port/database[?schema=NAME].`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreOptionError(`Invalid ${source} '${redactStore(text)}': not a valid URL.`);
  }
  const schema = url.searchParams.get('schema') ?? (env.GATEHOUSE_STORE_SCHEMA || 'gatehouse');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreOptionError(`Invalid PostgreSQL schema '${schema}': letters, digits and _, starting with a letter or _, at most 63 characters.`);
  }
  // The driver would take `schema` for a connection setting it does not know.
  url.searchParams.delete('schema');
  return { kind: 'postgres', connectionString: url.toString(), schema };
}

/** The store URL with any password replaced by `***`, for messages and the banner. */
export function redactStore(text: string): string {
  return text.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
