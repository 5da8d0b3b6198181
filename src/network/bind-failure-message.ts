/**
 * The operator-facing reason a private endpoint or VNet listener could not bind: it ends up in
 * the connection's `actionsRequired` and in the log, so it names the address, the port and
 * what to do, rather than a bare errno.
 */

/** The system error code behind a listen failure (listenOn keeps it as the cause). */
export function listenErrorCode(err: unknown): string | undefined {
  const direct = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof direct === 'string') return direct;
  const cause = (err as { cause?: NodeJS.ErrnoException } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

const wildcardHosts = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '']);

/** Whether a host text binds every address of its family (and with `::` both families). */
export function isWildcardHost(host: string): boolean {
  return wildcardHosts.has(host.trim());
}

/**
 * The message for a failed bind of `host:port`; `publicWildcard` is the public listener's host
 * when that listener is bound to a wildcard address on the same port.
 */
export function bindFailureMessage(err: unknown, host: string, port: number, publicWildcard: string | null): string {
  const where = `The gateway could not listen on ${host.includes(':') ? `[${host}]` : host}:${port}`;
  const code = listenErrorCode(err);
  if (code === 'EADDRNOTAVAIL') return `${where}: the address is not assigned to any network interface of the gateway host.`;
  if (code === 'EADDRINUSE') {
    if (publicWildcard !== null) {
      return (
        `${where}: the port is taken by the public listener, which is bound to the wildcard address ${publicWildcard} on the same port; ` +
        'Linux cannot bind a specific address under a wildcard listener on one port. Start Gatehouse with --host set to the public address.'
      );
    }
    return `${where}: port ${port} is already in use on that address.`;
  }
  const cause = (err as { cause?: Error } | null)?.cause;
  return `${where}: ${(cause instanceof Error ? cause : (err as Error)).message}.`;
}
