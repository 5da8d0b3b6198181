/**
 * Which listeners the network settings call for (DESIGN.md "The network is configuration",
 * reference §6.1): the public ones on `--host` unless the VNet mode is Internal, one per private
 * endpoint connection per scheme on its private address, and with VNet injection one per host
 * address inside the subnet. A pure function of its inputs, so the listener set only diffs.
 */
import { isIP } from 'node:net';
import { AddressRanges, unmapped } from '../core/address-ranges.js';
import type { ArrivalEndpoint } from '../gateway/arrival-endpoint.js';
import type { NetworkSettings } from '../model/network.js';
import { configuredSchemes, type GatewayListenerOptions, type ListenerScheme } from './gateway-listeners.js';

/** One listener the settings call for. */
export interface PlannedListener {
  /** Identity for diffing: a listener whose key stays is left open across applies. */
  key: string;
  scheme: ListenerScheme;
  host: string;
  endpoint: ArrivalEndpoint;
  /** Admitted source networks; null admits every source. */
  allowedSources: AddressRanges | null;
  /** The private endpoint connection it serves, for outcome reports. */
  connectionName: string | null;
}

/** A listener the settings ask for but that cannot be planned (an invalid address or range). */
export interface PlanProblem {
  connectionName: string | null;
  message: string;
}

export interface ListenerPlan {
  /** Public first, then private, then VNet: the first listener of a scheme chooses a port 0's number. */
  listeners: PlannedListener[];
  problems: PlanProblem[];
}

/** Plans the listeners for `settings`; `localAddresses` are the host's interface addresses. */
export function planListeners(listen: GatewayListenerOptions, settings: NetworkSettings, localAddresses: readonly string[]): ListenerPlan {
  const schemes = configuredSchemes(listen);
  const listeners: PlannedListener[] = [];
  const problems: PlanProblem[] = [];
  const publicOpen = settings.virtualNetworkType !== 'Internal';
  if (publicOpen) {
    for (const scheme of schemes) {
      listeners.push({ key: `public ${scheme} ${listen.host}`, scheme, host: listen.host, endpoint: { kind: 'public' }, allowedSources: null, connectionName: null });
    }
  }
  for (const pe of settings.privateEndpoints) {
    const host = unmapped(pe.privateIpAddress.trim());
    if (isIP(host) === 0) {
      problems.push({ connectionName: pe.connectionName, message: `The private IP address '${pe.privateIpAddress}' of connection '${pe.connectionName}' is not an IP address.` });
      continue;
    }
    let allowedSources: AddressRanges;
    try {
      allowedSources = AddressRanges.parse(pe.allowedSources);
    } catch (err) {
      problems.push({ connectionName: pe.connectionName, message: `The allowed source networks of connection '${pe.connectionName}' are invalid: ${(err as Error).message}` });
      continue;
    }
    const connection = { name: pe.connectionName, groupId: pe.groupId, memberName: pe.memberName };
    for (const scheme of schemes) {
      listeners.push({
        key: `private ${scheme} ${host} ${pe.connectionName}`,
        scheme,
        host,
        endpoint: { kind: 'private', connection, privateIpAddress: host },
        allowedSources,
        connectionName: pe.connectionName,
      });
    }
  }
  const injection = settings.virtualNetworkType === 'None' ? undefined : settings.injection;
  if (injection) {
    let subnet: AddressRanges;
    let admitted: AddressRanges | null;
    try {
      subnet = AddressRanges.parse([injection.subnetPrefix]);
      admitted = settings.virtualNetworkType === 'Internal' ? AddressRanges.parse(injection.allowedSources) : null;
    } catch (err) {
      problems.push({ connectionName: null, message: `The VNet injection settings of subnet '${injection.subnetId}' are invalid: ${(err as Error).message}` });
      return { listeners, problems };
    }
    // An address the public listener already holds stays public (External mode with --host inside the subnet).
    const hosts = [...new Set(localAddresses.map(unmapped))].filter((a) => subnet.contains(a) && !(publicOpen && a === listen.host));
    for (const host of hosts) {
      for (const scheme of schemes) {
        listeners.push({ key: `vnet ${scheme} ${host}`, scheme, host, endpoint: { kind: 'vnet' }, allowedSources: admitted, connectionName: null });
      }
    }
  }
  return { listeners, problems };
}
