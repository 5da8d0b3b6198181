/**
 * The gateway's listeners as a function of the network settings (DESIGN.md "The network is
 * configuration", reference §6): `apply` diffs the listeners the settings call for against the
 * open ones, closes the removed (ending their keep-alive connections), opens the new and leaves
 * the rest alone, so approving or deleting a private endpoint connection never disturbs other
 * listeners or needs a restart. A private or VNet listener that cannot bind is reported, never
 * thrown; only the public listener failing at startup fails the start.
 */
import { networkInterfaces } from 'node:os';
import type { Server } from 'node:http';
import type { Logger } from '../core/logger.js';
import { arrivalEndpointLabel } from '../gateway/arrival-endpoint.js';
import type { GatewayRequestHandler } from '../gateway/request-handler.js';
import type { ListenerOutcome, NetworkSettings } from '../model/network.js';
import { installArrivalGate, type GateState } from './arrival-gate.js';
import { bindFailureMessage, isWildcardHost } from './bind-failure-message.js';
import { gatewayServerFactory, type GatewayListenerOptions, type GatewayServerFactory, type ListenerScheme } from './gateway-listeners.js';
import { planListeners, type PlannedListener } from './listener-plan.js';
import { closeServer, listenOn } from './server-socket.js';

/** Whether a private endpoint connection's listeners could be opened. */
export type { ListenerOutcome };

/** Receives one outcome per private endpoint connection whose listeners an apply tried to open. */
export type ListenerOutcomeCallback = (connectionName: string, outcome: ListenerOutcome) => void;

/** A listener that is open now. */
export interface OpenListener {
  scheme: ListenerScheme;
  host: string;
  port: number;
  url: string;
  /** `public`, `vnet` or `private:<connection>` (arrival-endpoint.ts). */
  endpoint: string;
}

/** The addresses the gateway serves on: the service's `publicIPAddresses` and `privateIPAddresses`. */
export interface NetworkAddresses {
  public: string[];
  private: string[];
}

export interface NetworkListenerSetOptions {
  logger: Logger;
  onListenerOutcome?: ListenerOutcomeCallback;
  /** The host's interface addresses (VNet injection binds those inside the subnet); os.networkInterfaces() by default. */
  localAddresses?: () => string[];
}

interface OpenEntry {
  planned: PlannedListener;
  server: Server;
  port: number;
  url: string;
  gate: GateState;
}

/** The open listeners of one gateway process and the settings they follow. */
export class NetworkListenerSet {
  private readonly open = new Map<string, OpenEntry>();
  /** The port each scheme got first (port 0 picks one): every later listener of the scheme uses it. */
  private readonly ports: Record<ListenerScheme, number | null>;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly listen: GatewayListenerOptions,
    private readonly createServer: GatewayServerFactory,
    private readonly options: NetworkListenerSetOptions,
  ) {
    this.ports = { http: listen.httpPort || null, https: listen.httpsPort || null };
  }

  /** Opens the listeners for `settings`; throws (with nothing left open) when the public listener cannot bind or a certificate is unusable. */
  static async start(
    listen: GatewayListenerOptions,
    handler: GatewayRequestHandler,
    settings: NetworkSettings,
    options: NetworkListenerSetOptions,
  ): Promise<NetworkListenerSet> {
    const set = new NetworkListenerSet(listen, gatewayServerFactory(listen, handler), options);
    try {
      await set.applyNow(settings, true);
    } catch (err) {
      await set.close();
      throw err;
    }
    return set;
  }

  /** Brings the open listeners in line with `settings`; waits for earlier applies, never throws. */
  apply(settings: NetworkSettings): Promise<void> {
    const run = this.queue.then(() => this.applyNow(settings, false));
    this.queue = run.catch((err: unknown) => this.options.logger.error({ err }, 'applying the network settings to the gateway listeners failed'));
    return this.queue;
  }

  /** Resolves once every apply requested so far has finished. */
  settled(): Promise<void> {
    return this.queue;
  }

  /** The listeners open now: public first, then private endpoint and VNet ones. */
  listeners(): OpenListener[] {
    return [...this.open.values()].map((e) => ({ scheme: e.planned.scheme, host: e.planned.host, port: e.port, url: e.url, endpoint: arrivalEndpointLabel(e.gate.endpoint) }));
  }

  /** The distinct hosts of the open public listeners, and of the open private endpoint and VNet ones. */
  addresses(): NetworkAddresses {
    const pub = new Set<string>();
    const priv = new Set<string>();
    for (const e of this.open.values()) (e.gate.endpoint.kind === 'public' ? pub : priv).add(e.planned.host);
    return { public: [...pub], private: [...priv] };
  }

  /** Closes every listener and ends their connections; later applies do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const entries = [...this.open.values()];
    this.open.clear();
    await Promise.all(entries.map((e) => closeServer(e.server)));
  }

  private async applyNow(settings: NetworkSettings, startup: boolean): Promise<void> {
    if (this.closed) return;
    const plan = planListeners(this.listen, settings, (this.options.localAddresses ?? interfaceAddresses)());
    const wanted = new Map(plan.listeners.map((p) => [p.key, p]));
    // Removed ones first: a connection renamed on the same address must free it before its successor binds.
    const removed = [...this.open.values()].filter((e) => !wanted.has(e.planned.key));
    for (const e of removed) this.open.delete(e.planned.key);
    await Promise.all(removed.map((e) => closeServer(e.server)));

    const failures = new Map<string, string>();
    const attempted = new Set<string>();
    for (const problem of plan.problems) {
      this.options.logger.warn({ connection: problem.connectionName }, problem.message);
      if (problem.connectionName !== null) {
        attempted.add(problem.connectionName);
        failures.set(problem.connectionName, problem.message);
      }
    }
    for (const planned of plan.listeners) {
      const current = this.open.get(planned.key);
      if (current) {
        // Same listener: a changed source list or connection detail applies to new connections.
        current.gate.endpoint = planned.endpoint;
        current.gate.allowedSources = planned.allowedSources;
        current.planned = planned;
        continue;
      }
      if (planned.connectionName !== null) attempted.add(planned.connectionName);
      try {
        await this.openListener(planned);
      } catch (err) {
        if (planned.endpoint.kind === 'public') {
          if (startup) throw err;
          this.options.logger.error({ err, host: planned.host }, 'the public gateway listener could not be reopened');
          continue;
        }
        const port = this.ports[planned.scheme] ?? 0;
        const message = bindFailureMessage(err, planned.host, port, this.publicWildcardOn(planned.scheme));
        this.options.logger.warn({ endpoint: arrivalEndpointLabel(planned.endpoint), host: planned.host, port }, message);
        if (planned.connectionName !== null && !failures.has(planned.connectionName)) failures.set(planned.connectionName, message);
      }
    }
    for (const name of attempted) this.report(name, failures.has(name) ? { ok: false, message: failures.get(name)! } : { ok: true });
  }

  private async openListener(planned: PlannedListener): Promise<void> {
    const server = this.createServer(planned.scheme);
    const gate: GateState = { endpoint: planned.endpoint, allowedSources: planned.allowedSources };
    installArrivalGate(server, planned.scheme, gate, this.options.logger);
    const opened = await listenOn(server, planned.scheme, planned.host, this.ports[planned.scheme] ?? 0);
    this.ports[planned.scheme] ??= opened.port;
    this.open.set(planned.key, { planned, server, port: opened.port, url: opened.url, gate });
  }

  /** The public listener's host when it is open on a wildcard address for this scheme. */
  private publicWildcardOn(scheme: ListenerScheme): string | null {
    for (const e of this.open.values()) {
      if (e.gate.endpoint.kind === 'public' && e.planned.scheme === scheme && isWildcardHost(e.planned.host)) return e.planned.host;
    }
    return null;
  }

  private report(connectionName: string, outcome: ListenerOutcome): void {
    try {
      this.options.onListenerOutcome?.(connectionName, outcome);
    } catch (err) {
      this.options.logger.error({ err, connection: connectionName }, 'the listener outcome callback failed');
    }
  }
}

/** Every address of every interface of this host. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}
