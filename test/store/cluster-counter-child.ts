/**
 * The worker side of the cluster counter test: a real child process whose ClusterCounterStore
 * talks to the test process over Node's IPC channel. Runs a fixed sequence of calls, sends the
 * results back, then waits for a call the parent never answers and reports (on stdout) how it
 * ends once the parent disconnects.
 */
import { ClusterCounterStore, type CounterChannel } from '../../src/store/cluster-counter-store.js';

const store = new ClusterCounterStore(process as unknown as CounterChannel);
const t0 = Date.UTC(2026, 0, 1);
const failure = (err: unknown) => ({ error: (err as Error).message });

const results = {
  first: await store.rateLimit('k', 2, 10_000, 1, t0),
  second: await store.rateLimit('k', 2, 10_000, 1, t0 + 1_000),
  refused: await store.rateLimit('k', 2, 10_000, 1, t0 + 2_000),
  peek: await store.peekRateLimit('k', 2, 10_000, t0 + 2_000),
  unlimited: await store.rateLimit('u', Infinity, 10_000, 3, t0),
  parallel: await Promise.all([1, 2, 3, 4].map(() => store.rateLimit('p', 3, 60_000, 1, t0))),
  quota: await store.quota('q', 10, 4, t0, Infinity, t0),
  added: (await store.addToQuota('q', 5, t0, Infinity)) ?? 'nothing',
  quotaAfter: await store.quota('q', 10, 1, t0, Infinity, t0),
  released: (await store.releaseRateLimit('k', 1, t0 + 1_000)) ?? 'nothing',
  afterRelease: await store.rateLimit('k', 2, 10_000, 1, t0 + 2_000),
  failing: await store.rateLimit('boom', 1, 1_000, 1, t0).catch(failure),
};
process.send!({ results });

const pending = store.peekRateLimit('never-answered', 1, 1_000, t0).catch(failure);
process.once('disconnect', () => {
  void pending.then(async (outcome) => {
    const afterwards = await store.peekRateLimit('k', 1, 1_000, t0).catch(failure);
    process.stdout.write(JSON.stringify({ outcome, afterwards }) + '\n');
  });
});
process.send!({ waiting: true });
