/**
 * A policy attribute or text value: either a constant known at compile time or an expression
 * evaluated per request. Policies check `constant` to do work once at compile time.
 */
import type { GatewayContext } from './gateway-context.js';

export interface Value<T> {
  /** The value when it does not depend on the request. */
  readonly constant: T | undefined;
  readonly isConstant: boolean;
  get(gw: GatewayContext): T;
}

/** A value known at compile time. */
export function constantValue<T>(value: T): Value<T> {
  return new ConstantValue(value);
}

/** A value computed per request. */
export function computedValue<T>(compute: (gw: GatewayContext) => T): Value<T> {
  return { constant: undefined, isConstant: false, get: compute };
}

/** A request-independent value; `get` lives on the prototype, so a constant costs no closure. */
class ConstantValue<T> implements Value<T> {
  readonly isConstant = true;
  constructor(readonly constant: T) {}

  get(): T {
    return this.constant;
  }
}
