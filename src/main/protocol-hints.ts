/**
 * A saved API whose `protocols` the gateway does not listen on is unreachable: every call gets
 * the bare 404 Azure answers (reference §1.2, the scheme is part of the match). Azure's managed
 * gateway always listens on HTTPS, so an API created with the default `protocols: ["https"]`
 * works there; Gatehouse's default gateway listens on HTTP only. The body stays Azure's, so the
 * operator learns why from this log line, written when such an API is saved (or when the
 * listeners change), not on every reload.
 */
import type { Logger } from '../core/logger.js';
import type { Api, Protocol, ServiceConfig } from '../model/resources.js';
import type { ListenerAddress } from './gateway-runtime.js';

/** The request schemes a listener of each scheme receives (a WebSocket upgrade keeps its listener's). */
const servedBy: Record<ListenerAddress['scheme'], readonly Protocol[]> = {
  http: ['http', 'ws'],
  https: ['https', 'wss'],
};

/** More unreachable APIs than this in one save are summed up in one line. */
const detailedLines = 10;

export interface ProtocolHints {
  /** Logs a hint for each unreachable API that changed since the last check (every one at the first). */
  check(config: ServiceConfig, listeners: readonly ListenerAddress[]): void;
}

/** Remembers which unreachable APIs were already reported, so each save is reported once. */
export function createProtocolHints(logger: Logger): ProtocolHints {
  // API name → its definition when it was reported; cleared for APIs that became reachable.
  let reported = new Map<string, string>();
  // The request schemes served when `reported` was written.
  let reportedFor: string | undefined;

  return {
    check(config, listeners) {
      const served = new Set(listeners.flatMap((l) => servedBy[l.scheme]));
      const servedKey = [...served].sort().join(' ');
      // Listeners of other schemes make every earlier hint stale: report again against them.
      if (servedKey !== reportedFor) reported = new Map();
      reportedFor = servedKey;
      const next = new Map<string, string>();
      const fresh: Api[] = [];
      for (const api of config.apis) {
        if (api.protocols.some((p) => served.has(p))) continue;
        // Only unreachable APIs are serialised, so a configuration without any costs nothing here.
        const definition = JSON.stringify(api);
        next.set(api.name, definition);
        if (reported.get(api.name) !== definition) fresh.push(api);
      }
      reported = next;
      if (fresh.length === 0) return;
      const urls = listeners.map((l) => l.url);
      const schemes = [...new Set(listeners.map((l) => l.scheme))];
      const listening = urls.length === 0 ? 'no listener is open' : `the gateway listens on ${urls.join(', ')}`;
      const remedy = schemes.includes('https')
        ? 'add "http" to its protocols'
        : 'add "http" to its protocols, or serve HTTPS with --gateway-https-port and --gateway-certificate';
      for (const api of fresh.slice(0, detailedLines)) {
        logger.warn(
          { api: api.name, protocols: api.protocols, listeners: urls },
          `API '${api.name}' accepts only ${api.protocols.join(', ') || 'no protocol'} but ${listening}: every call to it gets 404; ${remedy}`,
        );
      }
      if (fresh.length > detailedLines) {
        const rest = fresh.slice(detailedLines);
        logger.warn(
          { apis: rest.length, first: rest[0]!.name, listeners: urls },
          `${rest.length} more APIs accept none of the protocols the gateway listens on (${schemes.join(', ') || 'none'}): calls to them get 404; ${remedy}`,
        );
      }
    },
  };
}
