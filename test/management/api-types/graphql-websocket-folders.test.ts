/**
 * GraphQL and WebSocket APIs through the APIOps import and export: `specification.graphql` is
 * stored as the API's `graphql` schema and written back byte for byte, a broken one is refused
 * naming the file, line and column (and changes nothing), and a WebSocket API gets Azure's
 * onHandshake operation, which export writes and a second import keeps with its policy; a policy
 * onHandshake does not run is refused naming the file, and replace mode still removes a whole
 * WebSocket API with its onHandshake.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { apiInformation, writeApiopsFolder } from '../../e2e/helpers/apiops-writer.js';

// One temporary root for the whole file; each store and export gets a fresh folder below it.
const root = mkdtempSync(join(tmpdir(), 'gatehouse-api-types-'));
let made = 0;
const tempDir = (): string => mkdtempSync(join(root, `${++made}-`));
after(() => rmSync(root, { recursive: true, force: true }));

const sdl = 'type Query {\n  hello(name: String): String\n}\n\ntype Mutation {\n  shout(text: String!): String\n}\n';
const handshakePolicy =
  '<policies><inbound><base /><set-header name="x-handshake" exists-action="override"><value>yes</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

function folder(graphql = sdl, chatPolicy = handshakePolicy): string {
  return writeApiopsFolder({
    'apis/gql/apiInformation.json': apiInformation({ displayName: 'GQL', path: 'gql', type: 'graphql', protocols: ['http'], serviceUrl: 'http://127.0.0.1:9/graphql' }),
    'apis/gql/specification.graphql': graphql,
    'apis/chat/apiInformation.json': apiInformation({ displayName: 'Chat', path: 'chat', type: 'websocket', protocols: ['ws', 'wss'], serviceUrl: 'ws://127.0.0.1:9/chat' }),
    'apis/chat/operations/onHandshake/policy.xml': chatPolicy,
  });
}

async function freshStore(): Promise<SqliteEntityStore> {
  return SqliteEntityStore.open({ dataDir: tempDir() });
}

describe('GraphQL and WebSocket APIs in a folder', () => {
  const box = new SecretBox(randomBytes(32));

  /** Imports `dir` into a fresh store, expects a ConfigFolderError whose message `check` accepts, and no API stored. */
  async function assertImportRefused(dir: string, check: (message: string) => void): Promise<void> {
    const store = await freshStore();
    try {
      await assert.rejects(importFolderToStore(dir, store, box, 'importer'), (err: unknown) => {
        assert.ok(err instanceof ConfigFolderError, String(err));
        check(err.message);
        return true;
      });
      assert.deepEqual((await store.all()).filter((e) => e.kind === 'api'), []);
    } finally {
      store.close();
    }
  }

  it('stores the GraphQL schema and the onHandshake operation, and exports both back', async () => {
    const store = await freshStore();
    try {
      await importFolderToStore(folder(), store, box, 'importer');
      const all = await store.all();
      const schema = all.find((e) => e.kind === 'apiSchema');
      assert.ok(schema, 'the schema is stored');
      assert.equal(schema.id.toLowerCase(), 'apis/gql/schemas/graphql');
      assert.deepEqual(schema.body, { contentType: 'application/vnd.ms-azure-apim.graphql.schema', document: { value: sdl } });
      const config = serviceConfigFromEntities(all, { serviceName: 'gatehouse', sealer: box });
      const chat = config.apis.find((a) => a.name === 'chat')!;
      assert.deepEqual(
        chat.operations.map((o) => [o.name, o.method, o.urlTemplate]),
        [['onHandshake', 'GET', '/']],
      );
      assert.equal(chat.operations[0]!.policy?.xml, handshakePolicy);
      assert.deepEqual(config.apis.find((a) => a.name === 'gql')!.operations, [], 'a pass-through GraphQL API stores no operations');

      const out = join(tempDir(), 'export');
      const result = await exportStoreToFolder(store, box, out);
      assert.ok(result.files.includes('apis/gql/specification.graphql'));
      assert.equal(readFileSync(join(out, 'apis/gql/specification.graphql'), 'utf8'), sdl);
      assert.ok(result.files.includes('apis/chat/operations/onHandshake/operationInformation.json'), result.files.join('\n'));

      // The exported folder imports into a fresh store with the same schema and operation.
      const again = await freshStore();
      try {
        await importFolderToStore(out, again, box, 'importer');
        const reimported = await again.all();
        assert.deepEqual(reimported.find((e) => e.kind === 'apiSchema')?.body, schema.body);
        const ops = serviceConfigFromEntities(reimported, { serviceName: 'gatehouse', sealer: box }).apis.find((a) => a.name === 'chat')!.operations;
        assert.deepEqual(ops.map((o) => [o.name, o.policy?.xml]), [['onHandshake', handshakePolicy]]);
      } finally {
        again.close();
      }
    } finally {
      store.close();
    }
  });

  it('refuses a GraphQL schema with a syntax error, naming file, line and column, and stores nothing', async () => {
    await assertImportRefused(folder('type Query {\n  hello(: String\n}\n'), (message) =>
      assert.equal(message, 'apis/gql/specification.graphql: is not a valid GraphQL schema: line 2, column 9: Syntax Error: Expected Name, found ":".'),
    );
  });

  it('refuses a schema that parses but names an unknown type', async () => {
    const store = await freshStore();
    try {
      await assert.rejects(importFolderToStore(folder('type Query {\n  hello: Greeting\n}\n'), store, box, 'importer'), /apis\/gql\/specification\.graphql: is not a valid GraphQL schema: Unknown type "Greeting"\./);
    } finally {
      store.close();
    }
  });

  it('refuses an onHandshake policy that onHandshake does not run, naming the file and element', async () => {
    const refused = handshakePolicy.replace('<base /><set-header', '<base /><set-method>POST</set-method><set-header');
    await assertImportRefused(folder(sdl, refused), (message) =>
      assert.match(message, /apis\/chat\/operations\/onHandshake\/policy\.xml.*set-method.*Policy 'set-method' is not supported on the onHandshake operation of a WebSocket API\./s),
    );
  });

  it('removes a whole WebSocket API, onHandshake included, in replace mode', async () => {
    const store = await freshStore();
    try {
      await importFolderToStore(folder(), store, box, 'importer');
      const withoutChat = writeApiopsFolder({
        'apis/gql/apiInformation.json': apiInformation({ displayName: 'GQL', path: 'gql', type: 'graphql', protocols: ['http'], serviceUrl: 'http://127.0.0.1:9/graphql' }),
        'apis/gql/specification.graphql': sdl,
      });
      await importFolderToStore(withoutChat, store, box, 'importer', { mode: 'replace', force: true });
      const left = (await store.all()).filter((e) => e.id.toLowerCase().startsWith('apis/chat'));
      assert.deepEqual(left, []);
    } finally {
      store.close();
    }
  });
});
