/**
 * Opens a gateway process's counters in Redis (`--redis`, docs/scale-out.md): the Redis counter
 * store under the service's key prefix, behind the failover that counts on this host's counters
 * (or refuses, `--redis-counter-fallback refuse`) while Redis does not answer, and the metrics
 * that say which is in use.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../core/ports.js';
import { FailoverCounterStore, type CounterFallback } from '../store/failover-counter-store.js';
import { redisOptionsFrom } from '../store/redis-connection-string.js';
import { counterKeyPrefix, RedisCounterStore } from '../store/redis-counter-store.js';

/** How long a starting gateway waits for Redis before it serves on local counters (and says so). */
const connectWaitMs = 2000;

export interface RedisCountersOptions {
  redisUrl: string;
  serviceName: string;
  /** This host's counters: the memory store, or the cluster store of a `--workers` worker. */
  local: CounterStore;
  fallback: CounterFallback;
  logger: Logger;
  /** The gateway's `/metrics` registry, when it keeps metrics. */
  metricsRegistry?: Registry;
}

export interface RedisCounters {
  store: CounterStore;
  close(): Promise<void>;
}

/** Connects (waiting at most a moment) and returns the counters the policies use. */
export async function openRedisCounters(options: RedisCountersOptions): Promise<RedisCounters> {
  const redis = new RedisCounterStore(options.redisUrl, { keyPrefix: counterKeyPrefix(options.serviceName) });
  const metrics = options.metricsRegistry ? counterStoreMetrics(options.metricsRegistry) : undefined;
  metrics?.redisUp.set(1);
  const store = new FailoverCounterStore(redis, options.local, {
    fallback: options.fallback,
    logger: options.logger,
    onSwitch: (remoteAnswers) => {
      metrics?.redisUp.set(remoteAnswers ? 1 : 0);
      if (!remoteAnswers) metrics?.fallbacks.inc({ fallback: options.fallback });
    },
  });
  if (!(await redis.whenConnected(connectWaitMs))) store.markUnavailable(`no connection to Redis within ${connectWaitMs} ms of the start`);
  return { store, close: () => redis.close() };
}

/** The banner line saying where the counters are (the Redis address without its password). */
export function redisCountersLine(redisUrl: string, fallback: CounterFallback): string {
  const { host, port } = redisOptionsFrom(redisUrl);
  const meanwhile = fallback === 'local' ? "this host's counters" : 'calls that need a counter are refused (503)';
  return `  rate-limit and quota counters: in Redis at ${host}:${port}, shared by every gateway of this service; while it does not answer, ${meanwhile}`;
}

/** The two series: whether counting happens in Redis now, and how often it stopped. */
function counterStoreMetrics(registry: Registry) {
  return {
    redisUp: new Gauge({
      name: 'gatehouse_counter_store_redis_up',
      help: 'Whether rate limits and quotas are counted in Redis now (1), or on this host or refused while Redis does not answer (0). With several gateway processes: 0 when any of them is not using Redis.',
      registers: [registry],
      aggregator: 'min',
    }),
    fallbacks: new Counter({
      name: 'gatehouse_counter_store_fallbacks_total',
      help: 'Times the gateway stopped counting in Redis because it did not answer, by --redis-counter-fallback (local: counted on this host; refuse: answered 503).',
      labelNames: ['fallback'],
      registers: [registry],
    }),
  };
}
