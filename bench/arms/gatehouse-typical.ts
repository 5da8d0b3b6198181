/**
 * Arm `gatehouse-typical`: Gatehouse doing the typical set of arms/typical-set.ts through real
 * policies: subscription key (product 'bench'), `rate-limit-by-key` counted per subscription id,
 * `set-header` inbound and outbound, `rewrite-uri`, with the access log and the metrics on
 * (issue 6): every request is serialised and written to /dev/null and counted in prom-client.
 */
import { join } from 'node:path';
import { apiFiles, writeApiopsFiles } from '../harness/apiops-folder.js';
import type { Arm } from '../harness/types.js';
import { type GatehouseInstance, startGatehouse } from './gatehouse-launcher.js';
import {
  INBOUND_HEADER,
  OUTBOUND_HEADER,
  TYPICAL_KEY,
  TYPICAL_RATE_LIMIT_CALLS,
  TYPICAL_RATE_LIMIT_PERIOD_S,
  typicalPath,
} from './typical-set.js';

/**
 * The typical arms' access log and metrics (issue 6 wants both on). /dev/null rather than a
 * file: a full run writes millions of lines, and disk speed is not what the arm measures.
 */
export const typicalObservability = { accessLogFile: '/dev/null' };

/** The API-scope policy document of the typical set. */
export function typicalPolicy(): string {
  return `<policies>
  <inbound>
    <base />
    <rate-limit-by-key calls="${TYPICAL_RATE_LIMIT_CALLS}" renewal-period="${TYPICAL_RATE_LIMIT_PERIOD_S}" counter-key="@(context.Subscription.Id)" />
    <set-header name="${INBOUND_HEADER.name}" exists-action="override"><value>${INBOUND_HEADER.value}</value></set-header>
    <rewrite-uri template="/size/{n}" />
  </inbound>
  <backend><base /></backend>
  <outbound>
    <base />
    <set-header name="${OUTBOUND_HEADER.name}" exists-action="override"><value>${OUTBOUND_HEADER.value}</value></set-header>
  </outbound>
  <on-error><base /></on-error>
</policies>`;
}

/** The whole APIOps folder content of the typical set, pointing at `backendUrl`. */
export function typicalConfigFiles(backendUrl: string): Record<string, string | object> {
  return {
    ...apiFiles('typical', { path: 'typical', serviceUrl: backendUrl, subscriptionRequired: true }, ['/items/{n}']),
    'apis/typical/policy.xml': typicalPolicy(),
    'products/bench/productInformation.json': { properties: { displayName: 'bench', state: 'published', subscriptionRequired: true } },
    'products/bench/apis/typical/productApiInformation.json': { properties: { apiId: '/apis/typical' } },
    'subscriptions/bench/subscriptionInformation.json': {
      properties: { displayName: 'bench', scope: '/products/bench', state: 'active', primaryKey: TYPICAL_KEY, secondaryKey: `${TYPICAL_KEY}2` },
    },
  };
}

/** How a typical-set arm differs from `gatehouse-typical`; every field is optional. */
export interface TypicalVariant {
  /** `--workers N`; absent: the launcher's one gateway process. */
  workers?: number;
  /** `--redis <url>` (counters in Redis) under its own service name. */
  redis?: () => Promise<string>;
  /** Node options before bin/gatehouse.js (a module hook, for instance). */
  nodeArgs?: (root: string) => string[];
  /** Throws when the started Gatehouse is not what the arm claims to measure (it is then stopped). */
  verifyStarted?: (gh: GatehouseInstance) => Promise<void>;
  /** The access log and the metrics on (the default, as issue 6 asks) or off. */
  observed?: boolean;
}

/** A Gatehouse arm serving the typical set, started as `variant` says. */
export function typicalGatehouseArm(spec: Pick<Arm, 'id' | 'label' | 'description' | 'notes' | 'available'> & TypicalVariant): Arm {
  const { workers, redis, nodeArgs, verifyStarted, observed = true, ...arm } = spec;
  return {
    ...arm,
    async start(ctx) {
      const configDir = writeApiopsFiles(join(ctx.workDir, 'config'), typicalConfigFiles(ctx.backendUrl));
      const extraArgs = redis === undefined ? [] : ['--redis', await redis(), '--service-name', `bench-${process.pid}`];
      const launch = {
        ...(observed ? { observe: typicalObservability } : {}),
        extraArgs,
        ...(workers === undefined ? {} : { workers }),
        ...(nodeArgs === undefined ? {} : { nodeArgs: nodeArgs(ctx.root) }),
      };
      const gh = await startGatehouse(ctx.root, configDir, join(ctx.workDir, 'data'), ctx.log, launch);
      if (verifyStarted) {
        try {
          await verifyStarted(gh);
        } catch (err) {
          await gh.process.stop();
          throw err;
        }
      }
      return {
        baseUrl: gh.url,
        pathFor: typicalPath,
        headers: { 'Ocp-Apim-Subscription-Key': TYPICAL_KEY },
        expects: { inboundHeader: true, outboundHeader: true, keyRequired: true },
        stop: gh.process.stop,
      };
    },
  };
}

export const gatehouseTypicalArm: Arm = typicalGatehouseArm({
  id: 'gatehouse-typical',
  label: 'Gatehouse, typical set',
  description:
    'Gatehouse with one gateway process (--workers 1) besides the start process, which holds the counters (each counted call asks it over IPC). ' +
    `Subscription key (Ocp-Apim-Subscription-Key, product scope), rate-limit-by-key per subscription id (${TYPICAL_RATE_LIMIT_CALLS} calls / ${TYPICAL_RATE_LIMIT_PERIOD_S} s, never reached), ` +
    'set-header inbound and outbound, rewrite-uri; access log (to /dev/null) and metrics on.',
  notes: [
    'Gatehouse typical set: access log on (one JSON line per request, written to /dev/null through `--access-log /dev/null`, so the serialisation and the write calls are paid but no disk) and metrics on (`--metrics on`, counted per request, not scraped).',
  ],
});
