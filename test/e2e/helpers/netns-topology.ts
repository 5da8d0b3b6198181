/**
 * Builds the network-isolation test topology out of Linux network namespaces and veth pairs
 * (issue 4, "Done means"): the gateway in a namespace of its own, an "internet" client on the
 * public side, `vnet-a` holding the private endpoint's subnet, `vnet-b` peered with it, and
 * `vnet-c` routed to the private address but not peered. Every veth end is created directly
 * inside its namespace, so the host's own network never changes; `remove()` deletes it all.
 *
 *   internet 203.0.113.10 ──── 203.0.113.1  ┐
 *   vnet-a   10.1.0.10    ──── 10.1.0.4-.6  │ gateway namespace
 *   vnet-b   10.2.0.10    ──── 10.2.0.1     │ (routes between its links)
 *   vnet-c   10.3.0.10    ──── 10.3.0.1     ┘
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const addresses = {
  gatewayPublic: '203.0.113.1',
  internetClient: '203.0.113.10',
  /** The gateway host's addresses in vnet-a's subnet 10.1.0.0/24. */
  gatewayInVnetA: ['10.1.0.4', '10.1.0.5', '10.1.0.6'],
  vnetAClient: '10.1.0.10',
  vnetBClient: '10.2.0.10',
  vnetCClient: '10.3.0.10',
} as const;

export type ClientName = 'internet' | 'vnetA' | 'vnetB' | 'vnetC' | 'gateway';

export interface AgentAnswer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
  error?: string;
  handle?: string;
  open?: boolean;
}

/** A long-lived HTTP client process inside one namespace (netns-agent.mjs). */
export interface NamespaceAgent {
  send(command: Record<string, unknown>): Promise<AgentAnswer>;
  close(): void;
}

export interface Topology {
  /** Namespace names by role. */
  namespaces: Record<ClientName, string>;
  /** `ip netns exec <gateway namespace>`: the prefix that runs a command in the gateway's namespace. */
  gatewayPrefix: string[];
  agent(name: ClientName): Promise<NamespaceAgent>;
  remove(): void;
}

/** Why the topology cannot be built here, or undefined when it can (root and iproute2). */
export function topologyUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return "iproute2's `ip` command is not installed";
  }
  return undefined;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the namespaces and links; on failure removes what it made and throws. */
export function createTopology(prefix = `gh${process.pid}`): Topology {
  const namespaces: Record<ClientName, string> = {
    gateway: `${prefix}-gw`,
    internet: `${prefix}-inet`,
    vnetA: `${prefix}-vnet-a`,
    vnetB: `${prefix}-vnet-b`,
    vnetC: `${prefix}-vnet-c`,
  };
  const agents: ChildProcess[] = [];
  const remove = (): void => {
    for (const child of agents) child.kill('SIGKILL');
    for (const ns of Object.values(namespaces)) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // Not created, or already gone.
      }
    }
  };
  try {
    for (const ns of Object.values(namespaces)) {
      ip(['netns', 'add', ns]);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const gw = namespaces.gateway;
    const link = (client: string, gwEnd: string, clientEnd: string, gwAddrs: string[], clientAddr: string, prefixLength: number, routes: string[], via: string): void => {
      ip(['link', 'add', gwEnd, 'netns', gw, 'type', 'veth', 'peer', 'name', clientEnd, 'netns', client]);
      for (const a of gwAddrs) ip(['-n', gw, 'addr', 'add', `${a}/${prefixLength}`, 'dev', gwEnd]);
      ip(['-n', client, 'addr', 'add', `${clientAddr}/${prefixLength}`, 'dev', clientEnd]);
      ip(['-n', gw, 'link', 'set', gwEnd, 'up']);
      ip(['-n', client, 'link', 'set', clientEnd, 'up']);
      for (const route of routes) ip(['-n', client, 'route', 'add', route, 'via', via]);
    };
    link(namespaces.internet, 'inet0', 'eth0', [addresses.gatewayPublic], addresses.internetClient, 24, [], addresses.gatewayPublic);
    link(namespaces.vnetA, 'vneta0', 'eth0', [...addresses.gatewayInVnetA], addresses.vnetAClient, 24, [], addresses.gatewayInVnetA[0]);
    // vnet-b and vnet-c reach the private endpoint's subnet through the gateway's namespace,
    // as a routed (b: peered, c: not peered) network would.
    link(namespaces.vnetB, 'vnetb0', 'eth0', ['10.2.0.1'], addresses.vnetBClient, 24, ['10.1.0.0/16'], '10.2.0.1');
    link(namespaces.vnetC, 'vnetc0', 'eth0', ['10.3.0.1'], addresses.vnetCClient, 24, ['10.1.0.0/16'], '10.3.0.1');
  } catch (err) {
    remove();
    throw err;
  }
  const agentPath = new URL('./netns-agent.mjs', import.meta.url).pathname;
  return {
    namespaces,
    gatewayPrefix: ['ip', 'netns', 'exec', namespaces.gateway],
    async agent(name) {
      const child = spawn('ip', ['netns', 'exec', namespaces[name], process.execPath, agentPath], { stdio: ['pipe', 'pipe', 'inherit'] });
      agents.push(child);
      const waiting = new Map<number, (answer: AgentAnswer) => void>();
      let next = 0;
      const lines = createInterface({ input: child.stdout! });
      const ready = new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`netns agent in ${namespaces[name]} exited with ${code}`)));
        lines.on('line', (line) => {
          const message = JSON.parse(line) as AgentAnswer & { id?: number; ready?: boolean };
          if (message.ready) return resolve();
          const done = message.id === undefined ? undefined : waiting.get(message.id);
          if (done) {
            waiting.delete(message.id!);
            done(message);
          }
        });
      });
      await ready;
      return {
        send(command) {
          const id = ++next;
          return new Promise((resolve) => {
            waiting.set(id, resolve);
            child.stdin!.write(JSON.stringify({ ...command, id }) + '\n');
          });
        },
        close() {
          child.stdin!.end();
        },
      };
    },
    remove,
  };
}
