/**
 * The one text form of a ServiceConfig that crosses a process or a disk: what the management
 * API answers a self-hosted gateway (docs/self-hosted-gateway.md) and what that gateway keeps in
 * its encrypted cache. JSON, with the values JSON cannot carry (bytes, dates, non-finite numbers,
 * `undefined` inside arrays) written as tagged objects, so a decoded configuration is the one
 * encoded. Decoding checks the shape the gateway relies on and names what is wrong; the snapshot
 * build checks the rest (policies, routes) as it does for every configuration.
 */
import type { ServiceConfig } from './resources.js';

/** The `format` of an encoded configuration and its version: a gateway refuses a form it does not know. */
export const serviceConfigFormat = 'gatehouse.service-config';
export const serviceConfigFormatVersion = 1;

/** The key that marks a tagged value; an object of the configuration that has it is escaped. */
const tag = '$gatehouse';

/** A text that is not an encoded configuration, or one of an unknown format or a wrong shape. */
export class ServiceConfigCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceConfigCodecError';
  }
}

/** The text form of `config`; throws ServiceConfigCodecError for a value no configuration holds (a function, a Map). */
export function encodeServiceConfig(config: ServiceConfig): string {
  return JSON.stringify({ format: serviceConfigFormat, version: serviceConfigFormatVersion, config: tagged(config, 'config') });
}

/** The configuration `text` encodes; throws ServiceConfigCodecError naming what is wrong. */
export function decodeServiceConfig(text: string): ServiceConfig {
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch (err) {
    throw new ServiceConfigCodecError(`not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(outer) || outer.format !== serviceConfigFormat) throw new ServiceConfigCodecError(`not a ${serviceConfigFormat} document`);
  if (outer.version !== serviceConfigFormatVersion) {
    throw new ServiceConfigCodecError(`format version ${JSON.stringify(outer.version)} is not the one this Gatehouse reads (${serviceConfigFormatVersion})`);
  }
  const config = untagged(outer.config, 'config');
  checkShape(config);
  return config;
}

function tagged(value: unknown, at: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [tag]: 'number', text: String(value) };
  if (value === undefined) return { [tag]: 'undefined' };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { [tag]: 'bytes', base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { [tag]: 'date', iso: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (Array.isArray(value)) return value.map((item, i) => tagged(item, `${at}[${i}]`));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    // Absent and undefined properties read the same in the model: undefined ones are left out.
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = tagged(item, `${at}.${key}`);
    return tag in value ? { [tag]: 'object', value: out } : out;
  }
  throw new ServiceConfigCodecError(`${at} is a ${describe(value)}, which a configuration cannot hold`);
}

function untagged(value: unknown, at: string): any {
  if (Array.isArray(value)) return value.map((item, i) => untagged(item, `${at}[${i}]`));
  if (!isRecord(value)) return value;
  if (!(tag in value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, untagged(item, `${at}.${key}`)]));
  switch (value[tag]) {
    case 'undefined':
      return undefined;
    case 'number':
      if (value.text === 'NaN' || value.text === 'Infinity' || value.text === '-Infinity') return Number(value.text);
      break;
    case 'bytes':
      if (typeof value.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value.base64)) return Buffer.from(value.base64, 'base64');
      break;
    case 'date':
      if (value.iso === null) return new Date(Number.NaN);
      if (typeof value.iso === 'string' && !Number.isNaN(Date.parse(value.iso))) return new Date(value.iso);
      break;
    case 'object':
      if (isRecord(value.value)) return Object.fromEntries(Object.entries(value.value).map(([key, item]) => [key, untagged(item, `${at}.${key}`)]));
      break;
  }
  throw new ServiceConfigCodecError(`${at} is a tagged value Gatehouse does not read (${JSON.stringify(value[tag])})`);
}

/** The lists every configuration has and the gateway indexes by name. */
const namedLists = ['apis', 'versionSets', 'products', 'subscriptions', 'namedValues', 'backends', 'policyFragments', 'users'] as const;
const optionalNamedLists = ['certificates', 'caches', 'loggers', 'diagnostics'] as const;

function checkShape(config: unknown): asserts config is ServiceConfig {
  if (!isRecord(config)) throw new ServiceConfigCodecError('config is not an object');
  if (typeof config.serviceName !== 'string' || config.serviceName === '') throw new ServiceConfigCodecError('config.serviceName is not a name');
  const checkList = (key: string, list: unknown): void => {
    if (!Array.isArray(list)) throw new ServiceConfigCodecError(`config.${key} is not a list`);
    list.forEach((item, i) => {
      if (!isRecord(item) || typeof item.name !== 'string') throw new ServiceConfigCodecError(`config.${key}[${i}] has no name`);
    });
  };
  for (const key of namedLists) checkList(key, config[key]);
  for (const key of optionalNamedLists) if (config[key] !== undefined) checkList(key, config[key]);
  for (const [i, api] of (config.apis as Array<Record<string, unknown>>).entries()) {
    if (typeof api.path !== 'string' || !Array.isArray(api.operations) || !Array.isArray(api.protocols)) {
      throw new ServiceConfigCodecError(`config.apis[${i}] ('${String(api.name)}') has no path, protocols or operations`);
    }
  }
  for (const [i, product] of (config.products as Array<Record<string, unknown>>).entries()) {
    if (!Array.isArray(product.apis) || !Array.isArray(product.groups)) throw new ServiceConfigCodecError(`config.products[${i}] has no apis or groups`);
  }
  for (const [i, s] of (config.subscriptions as Array<Record<string, unknown>>).entries()) {
    if (typeof s.scope !== 'string' || typeof s.primaryKey !== 'string' || typeof s.secondaryKey !== 'string') {
      throw new ServiceConfigCodecError(`config.subscriptions[${i}] has no scope or keys`);
    }
  }
  if (config.network !== undefined && (!isRecord(config.network) || !Array.isArray(config.network.privateEndpoints))) {
    throw new ServiceConfigCodecError('config.network has no privateEndpoints list');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object';
  return typeof value;
}
