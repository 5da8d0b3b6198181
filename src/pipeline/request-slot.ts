/**
 * Per-request state that a module keeps beside the GatewayContext without the context knowing
 * its type (the expression `context` view, backend timings, which cors policy already ran …):
 * `gw.slot(S)` reads it, `gw.setSlot(S, value)` writes it.
 *
 * A slot lives on the context itself and dies with it. A WeakMap keyed by the context would be
 * the obvious alternative, but V8 keeps a WeakMap's keys alive through young-generation
 * collections: every request's whole object graph then survived two scavenges and was promoted
 * to the old generation, which made each scavenge several times slower (the latency tail) and
 * filled the old generation for mark-compact to clean (bench/README.md "Profile").
 */
export class RequestSlot<T> {
  /** Never read: it makes RequestSlot<A> and RequestSlot<B> different types. */
  declare private readonly valueType: T;

  /** `name` is for debugging only; two slots with one name are still two slots. */
  constructor(readonly name: string) {}
}
