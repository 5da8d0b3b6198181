/**
 * How built-in members are declared: per type, a table of properties and methods. A method
 * receives the already-evaluated arguments (out arguments as OutSlot cells), the generic type
 * arguments and named arguments.
 */
import { raise } from '../errors.js';
import type { Runtime } from './budget.js';
import type { RtType } from './rt-type.js';
import { typeNameOf } from './display.js';
import { CharValue, LambdaValue, type OutSlot } from './values.js';

export interface CallSite {
  rt: Runtime;
  typeArgs: RtType[];
  named: ReadonlyMap<string, unknown>;
  name: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MethodImpl = (self: any, args: unknown[], site: CallSite) => unknown;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PropertyImpl = (self: any, rt: Runtime) => unknown;

export interface MemberTable {
  props?: Record<string, PropertyImpl>;
  methods?: Record<string, MethodImpl>;
}

/**
 * A member declared by a table itself: never one inherited from Object.prototype
 * (`valueOf`, `constructor`, `__proto__`, `__lookupGetter__` …), which an expression must not
 * reach on any value.
 */
export function ownMember<T>(table: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Fails for a call whose argument count or types no overload accepts. */
export function noOverload(name: string, args: unknown[]): never {
  return raise('System.MissingMethodException', `No overload for method '${name}' takes ${args.length} arguments of types (${args.map((a) => typeNameOf(a)).join(', ')}).`);
}

/** A required string argument (`ArgumentNullException` for null). */
export function strArg(v: unknown, param: string): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return raise('System.ArgumentNullException', `Value cannot be null. (Parameter '${param}')`);
  if (v instanceof CharValue) return v.toString();
  return raise('System.ArgumentException', `Argument '${param}' must be a string, not '${typeNameOf(v)}'.`);
}

/** An int argument. */
export function intArg(v: unknown, param: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof CharValue) return v.code;
  return raise('System.ArgumentException', `Argument '${param}' must be an int, not '${typeNameOf(v)}'.`);
}

/** A long (or int) argument. */
export function longArg(v: unknown, param: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof CharValue) return BigInt(v.code);
  return raise('System.ArgumentException', `Argument '${param}' must be a long, not '${typeNameOf(v)}'.`);
}

/** A lambda argument invoked with a step counted. */
export function fnArg(v: unknown, rt: Runtime): (...a: unknown[]) => unknown {
  if (!(v instanceof LambdaValue)) return raise('System.ArgumentException', `A lambda expression was expected, not '${typeNameOf(v)}'.`);
  return (...a: unknown[]) => {
    rt.step();
    return v.invoke(a);
  };
}

/** True for an out-argument cell. */
export function isOutSlot(v: unknown): v is OutSlot {
  return typeof v === 'object' && v !== null && (v as { __out?: boolean }).__out === true;
}
