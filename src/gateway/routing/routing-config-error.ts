/**
 * A configuration the router cannot serve unambiguously (two APIs on one path outside a version
 * set, a bad URL template, …). Building a route table throws it, so a snapshot that fails to
 * build never replaces the last good one (DESIGN.md, "Compile once, run many").
 */
export class RoutingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingConfigError';
  }
}
