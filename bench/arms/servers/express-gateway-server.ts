/**
 * Runs Express Gateway (from bench/vendor/express-gateway) with the config folder the arm wrote,
 * then creates the bench consumer and its key-auth credential in EG's in-memory (emulated Redis)
 * store through EG's own services, as `eg users create` / `eg credentials create` would.
 * Usage: express-gateway-server.ts VENDOR_DIR CONFIG_DIR KEY_ID KEY_SECRET
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface EgMain {
  load(dir: string): EgMain;
  run(): Promise<unknown>;
}
interface EgServices {
  user: { insert(user: Record<string, string>): Promise<{ id: string }> };
  credential: { insertCredential(id: string, type: string, details: Record<string, string>): Promise<{ keyId: string; keySecret: string }> };
}

const [vendor, configDir, keyId, keySecret] = process.argv.slice(2) as [string, string, string, string];
const vendorRequire = createRequire(join(vendor, 'package.json'));
const createGateway = vendorRequire('express-gateway') as () => EgMain;
await createGateway().load(configDir).run();
const services = vendorRequire('express-gateway/lib/services') as EgServices;
const user = await services.user.insert({ username: 'bench', firstname: 'bench', lastname: 'bench' });
await services.credential.insertCredential(user.id, 'key-auth', { keyId, keySecret });
console.log('express gateway ready');
