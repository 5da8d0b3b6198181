/**
 * Turns a checked program into JavaScript closures (compile once, run many). Locals live in
 * per-function frames resolved at compile time; statements report completion codes instead of
 * throwing for control flow; `?.` chains short-circuit with a sentinel.
 */
import type { Argument, Block, Expr, Program, Stmt, TypeRef } from './ast.js';
import { DotNetException, ExpressionEvaluationError, raise, nullReference } from './errors.js';
import type { Runtime } from './runtime/budget.js';
import {
  AnonymousObject, CharValue, DecimalValue, DoubleValue, LambdaValue, TupleValue, TypeValue, type OutSlot,
} from './runtime/values.js';
import { deconstruct, toTupleType } from './runtime/tuples.js';
import { parseDecimalText } from './runtime/decimal.js';
import { arithmetic, bitwise, equals, relational, unaryOp } from './runtime/operators.js';
import { castTo, isInstance } from './runtime/convert.js';
import { display } from './runtime/display.js';
import { formatItem } from './runtime/format-value.js';
import { callMember, callStatic, construct, getIndex, getMember, getStatic, setIndex, setMember } from './runtime/dispatch.js';
import { toArray } from './runtime/sequence.js';
import { defaultOf } from './runtime/host-types.js';
import { fullTypeName } from './runtime/type-names.js';
import { ExceptionValue, exceptionMatches, exceptionValueOf } from './runtime/exceptions.js';
import type { RtType } from './runtime/rt-type.js';
import type { CallSite } from './runtime/member-table.js';

/** One activation: the top-level expression or one lambda call. */
export class Frame {
  readonly slots: unknown[];
  ret: unknown = undefined;
  constructor(
    readonly rt: Runtime,
    readonly context: unknown,
    readonly parent: Frame | null,
    size: number,
  ) {
    this.slots = new Array<unknown>(size).fill(undefined);
  }
}

type Ev = (f: Frame) => unknown;
type Ex = (f: Frame) => number; // 0 normal, 1 break, 2 continue, 3 return

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
const SHORT = Symbol('null-conditional');

interface Slot {
  depth: number;
  index: number;
}

class FunctionScope {
  size = 0;
  constructor(readonly parent: FunctionScope | null) {}
}

class BlockScope {
  readonly names = new Map<string, number>();
  constructor(
    readonly fn: FunctionScope,
    readonly parent: BlockScope | null,
  ) {}
  /** Locals declared with a tuple type: what they hold keeps that type's element types and names. */
  readonly tupleTypes = new Map<string, RtType>();
  declare(name: string, type?: RtType): number {
    const index = this.fn.size++;
    this.names.set(name, index);
    if (type?.tupleNames) this.tupleTypes.set(name, type);
    return index;
  }
  /** The tuple type the local `name` was declared with, if any. */
  tupleTypeOf(name: string): RtType | undefined {
    for (let s: BlockScope | null = this; s; s = s.parent) if (s.names.has(name)) return s.tupleTypes.get(name);
    return undefined;
  }
  resolve(name: string): Slot | undefined {
    let depth = 0;
    let fn = this.fn;
    for (let s: BlockScope | null = this; s; s = s.parent) {
      if (s.fn !== fn) {
        depth++;
        fn = s.fn;
      }
      const index = s.names.get(name);
      if (index !== undefined) return { depth, index };
    }
    return undefined;
  }
}

function frameAt(f: Frame, depth: number): Frame {
  let cur = f;
  for (let i = 0; i < depth; i++) cur = cur.parent!;
  return cur;
}

function rtType(t: TypeRef): RtType {
  const r: RtType = { name: t.name, args: t.args.map(rtType), arrayRank: t.arrayRank, nullable: t.nullable };
  if (t.tupleNames) r.tupleNames = t.tupleNames;
  return r;
}

function literalValue(value: unknown, type: string): unknown {
  switch (type) {
    case 'double': return new DoubleValue(value as number);
    case 'float': return new DoubleValue(value as number, true);
    case 'decimal': return parseDecimalText(String(value)) ?? new DecimalValue(0n);
    case 'char': return new CharValue(value as number);
    default: return value;
  }
}

/** A value stored in a variable or returned from a function declared with `type` (C#'s implicit conversion). */
function toDeclaredType(v: unknown, type: RtType, rt: Runtime): unknown {
  // `default` (null here) is the tuple of its elements' defaults.
  if (type.tupleNames) return toTupleType(v ?? defaultTuple(type), type, (x, t) => toDeclaredType(x, t, rt));
  if (v === null) return v;
  const json = type.name === 'JToken' || type.name === 'JObject' || type.name === 'JArray';
  if (json) return isInstance(v, type) ? v : castTo(v, type, false, false, rt);
  return type.name === 'object' ? v : implicitConvert(v, type, rt);
}

function defaultTuple(type: RtType): TupleValue {
  return new TupleValue(type.args.map((t) => (t.tupleNames ? defaultTuple(t) : defaultOf(t.name))));
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return raise('System.InvalidOperationException', 'Nullable object must have a value.');
  return raise('System.InvalidCastException', `Cannot implicitly convert type '${fullTypeName(typeof v)}' to 'bool'.`);
}

/** The compiled program: run it with a runtime and the context host object. */
export interface CompiledProgram {
  run(rt: Runtime, context: unknown): unknown;
}

/** Compiles a checked program. */
export function compileProgram(program: Program): CompiledProgram {
  const fn = new FunctionScope(null);
  const scope = new BlockScope(fn, null);
  const c = new Compiler();
  if (program.kind === 'expression') {
    const ev = c.expr(program.expr, scope, false);
    return {
      run(rt, context) {
        return ev(new Frame(rt, context, null, fn.size));
      },
    };
  }
  const body = c.block(program.block, scope);
  return {
    run(rt, context) {
      const f = new Frame(rt, context, null, fn.size);
      const code = body(f);
      if (code !== RETURN) return raise('System.InvalidOperationException', 'The expression did not return a value.');
      return f.ret;
    },
  };
}

class Compiler {
  checked = false;
  /** Slots holding the exception of each enclosing catch clause (for `throw;`). */
  private readonly caughtSlots: number[] = [];

  expr(e: Expr, scope: BlockScope, chained: boolean): Ev {
    const ev = this.exprInner(e, scope);
    if (!chained && (e.kind === 'member' || e.kind === 'call' || e.kind === 'index')) {
      return (f) => {
        const v = ev(f);
        return v === SHORT ? null : v;
      };
    }
    return ev;
  }

  private value(e: Expr, scope: BlockScope): Ev {
    return this.expr(e, scope, false);
  }

  private exprInner(e: Expr, scope: BlockScope): Ev {
    switch (e.kind) {
      case 'literal': {
        const v = literalValue(e.value, e.literalType);
        return () => v;
      }
      case 'name': {
        if (e.name === 'context') return (f) => f.context;
        const slot = scope.resolve(e.name);
        if (!slot) return () => raise('System.InvalidOperationException', `The name '${e.name}' does not exist in the current context`);
        const { depth, index } = slot;
        if (depth === 0) return (f) => f.slots[index];
        return (f) => frameAt(f, depth).slots[index];
      }
      case 'typeName': {
        const name = e.type.name;
        return () => new TypeValue(fullTypeName(name));
      }
      case 'member': {
        const name = e.name;
        if (e.target.kind === 'typeName') {
          const type = e.target.type.name;
          return (f) => getStatic(type, name, f.rt);
        }
        const target = this.expr(e.target, scope, true);
        const conditional = e.conditional;
        return (f) => {
          const t = target(f);
          if (t === SHORT) return SHORT;
          if (conditional && (t === null || t === undefined)) return SHORT;
          const v = getMember(t, name, f.rt);
          return v === undefined ? null : v;
        };
      }
      case 'call':
        return this.call(e, scope);
      case 'index': {
        const target = this.expr(e.target, scope, true);
        const args = e.args.map((a) => this.value(a, scope));
        const conditional = e.conditional;
        return (f) => {
          const t = target(f);
          if (t === SHORT) return SHORT;
          if (conditional && (t === null || t === undefined)) return SHORT;
          return getIndex(t, args.map((a) => a(f)), f.rt);
        };
      }
      case 'unary': {
        if (e.op === '++' || e.op === '--') return this.increment(e.operand, e.op, true, scope);
        const operand = this.value(e.operand, scope);
        const op = e.op;
        const checked = this.checked;
        if (op === '!') return (f) => {
          const v = operand(f);
          if (v === null) return null;
          return unaryOp('!', v, checked);
        };
        return (f) => unaryOp(op, operand(f), checked);
      }
      case 'postfix':
        return this.increment(e.operand, e.op, false, scope);
      case 'binary':
        return this.binary(e.op, this.value(e.left, scope), this.value(e.right, scope));
      case 'assign':
        return this.assign(e, scope);
      case 'conditional': {
        const test = this.value(e.test, scope);
        const a = this.value(e.then, scope);
        const b = this.value(e.else, scope);
        return (f) => (truthy(test(f)) ? a(f) : b(f));
      }
      case 'cast': {
        const operand = this.value(e.operand, scope);
        const t = rtType(e.type);
        const fromObject = e.fromObject === true;
        const checked = this.checked;
        return (f) => castTo(operand(f), t, fromObject, checked, f.rt);
      }
      case 'is': {
        const operand = this.value(e.operand, scope);
        const t = rtType(e.type);
        if (e.declare) {
          const index = scope.declare(e.declare);
          return (f) => {
            const v = operand(f);
            const ok = isInstance(v, t);
            if (ok) f.slots[index] = v;
            return ok;
          };
        }
        return (f) => isInstance(operand(f), t);
      }
      case 'isConst': {
        const operand = this.value(e.operand, scope);
        const value = this.value(e.value, scope);
        return (f) => equals(operand(f), value(f));
      }
      case 'as': {
        const operand = this.value(e.operand, scope);
        const t = rtType(e.type);
        return (f) => {
          const v = operand(f);
          return isInstance(v, t) ? v : null;
        };
      }
      case 'lambda':
        return this.lambda(e, scope);
      case 'new': {
        const args = this.args(e.args, scope);
        const type = rtType(e.type);
        const init = e.init;
        let initFn: ((f: Frame, obj: unknown) => void) | undefined;
        if (init?.kind === 'collection') {
          const groups = init.items.map((g) => g.map((x) => this.value(x, scope)));
          initFn = (f, obj) => {
            for (const g of groups) callMember(obj, 'Add', g.map((x) => x(f)), site(f, 'Add'));
          };
        } else if (init?.kind === 'object') {
          const members = init.members.map((m) => ({ name: m.name, index: m.index?.map((x) => this.value(x, scope)), value: this.value(m.value, scope) }));
          initFn = (f, obj) => {
            for (const m of members) {
              if (m.index) setIndex(obj, m.index.map((x) => x(f)), m.value(f), f.rt);
              else setMember(obj, m.name!, m.value(f), f.rt);
            }
          };
        }
        return (f) => {
          f.rt.step();
          const obj = construct(type, args.positional.map((a) => a(f)), f.rt);
          if (initFn) initFn(f, obj);
          return obj;
        };
      }
      case 'newArray': {
        const elementType = e.elementType ? rtType(e.elementType) : undefined;
        const isBytes = elementType?.name === 'byte' && elementType.arrayRank === 0;
        if (e.items) {
          const items = e.items.map((x) => this.value(x, scope));
          return (f) => {
            const values = items.map((x) => x(f));
            if (isBytes) return Uint8Array.from(values.map((v) => Number(castTo(v, elementType!, false, false, f.rt))));
            if (elementType && elementType.arrayRank === 0 && elementType.name !== 'object') return values.map((v) => (v === null ? v : castTo(v, elementType, false, false, f.rt)));
            return values;
          };
        }
        const size = this.value(e.size!, scope);
        const fill = elementType ? defaultOf(elementType.name) : null;
        const zeroChar = elementType?.name === 'char';
        return (f) => {
          const n = size(f);
          if (typeof n !== 'number' || n < 0) return raise('System.OverflowException', 'Arithmetic operation resulted in an overflow.');
          f.rt.checkSize(n);
          f.rt.work(n);
          if (isBytes) return new Uint8Array(n);
          return new Array<unknown>(n).fill(zeroChar ? new CharValue(0) : elementType?.name === 'double' ? new DoubleValue(0) : fill);
        };
      }
      case 'tuple': {
        const items = e.items.map((item) => this.value(item.value, scope));
        const names = e.items.map((item) => item.name);
        return (f) => new TupleValue(items.map((item) => item(f)), names);
      }
      case 'newAnonymous': {
        const members = e.members.map((m) => ({ name: m.name, value: this.value(m.value, scope) }));
        return (f) => new AnonymousObject(new Map(members.map((m) => [m.name, m.value(f)])));
      }
      case 'interpolated': {
        const parts = e.parts.map((p) => {
          if (typeof p === 'string') return () => p;
          const value = this.value(p.expr, scope);
          const alignment = p.alignment ? this.value(p.alignment, scope) : undefined;
          const format = p.format;
          return (f: Frame) => {
            const width = alignment ? alignment(f) : undefined;
            if (width !== undefined && typeof width !== 'number') raise('System.FormatException', 'The alignment of an interpolation hole must be an int constant.');
            return formatItem(value(f), width, format, f.rt);
          };
        });
        return (f) => {
          let s = '';
          for (const p of parts) {
            s += p(f);
            if (s.length > f.rt.limits.maxStringLength) f.rt.checkLength(s.length);
          }
          return s;
        };
      }
      case 'typeof': {
        const name = fullTypeName(e.type.name);
        return () => new TypeValue(name);
      }
      case 'default': {
        const v = e.type ? defaultOf(e.type.name) : null;
        return () => v;
      }
      case 'checked': {
        const saved = this.checked;
        this.checked = e.checked;
        const inner = this.value(e.operand, scope);
        this.checked = saved;
        return inner;
      }
      case 'throw': {
        const value = this.value(e.value, scope);
        return (f) => throwValue(value(f));
      }
      case 'nameof': {
        const name = e.name;
        return () => name;
      }
    }
  }

  private binary(op: string, l: Ev, r: Ev): Ev {
    const checked = this.checked;
    switch (op) {
      case '&&': return (f) => truthy(l(f)) && truthy(r(f));
      case '||': return (f) => truthy(l(f)) || truthy(r(f));
      case '??': return (f) => {
        const a = l(f);
        return a === null || a === undefined ? r(f) : a;
      };
      case '==': return (f) => equals(l(f), r(f));
      case '!=': return (f) => !equals(l(f), r(f));
      case '<': case '>': case '<=': case '>=': return (f) => relational(op, l(f), r(f));
      case '&': case '|': case '^': case '<<': case '>>': return (f) => {
        const a = l(f);
        const b = r(f);
        if (a === null || b === null) return null;
        return bitwise(op, a, b);
      };
      default: return (f) => {
        const a = l(f);
        const b = r(f);
        if ((a === null || b === null) && typeof a !== 'string' && typeof b !== 'string') {
          if (op === '+' && (a === null && b === null)) return '';
          return null;
        }
        return arithmetic(op, a, b, checked, f.rt);
      };
    }
  }

  /** A reader/writer pair for an assignable expression. */
  private lvalue(e: Expr, scope: BlockScope): { get: Ev; set: (f: Frame, v: unknown) => void; prepare: (f: Frame) => unknown[] } {
    if (e.kind === 'name') {
      const slot = scope.resolve(e.name);
      if (!slot) return { get: () => null, set: () => raise('System.InvalidOperationException', `Cannot assign to '${e.name}'`), prepare: () => [] };
      const { depth, index } = slot;
      const tuple = scope.tupleTypeOf(e.name);
      return {
        prepare: () => [],
        get: (f) => frameAt(f, depth).slots[index],
        set: (f, v) => {
          frameAt(f, depth).slots[index] = tuple ? toDeclaredType(v, tuple, f.rt) : v;
        },
      };
    }
    if (e.kind === 'member') {
      const target = this.value(e.target, scope);
      const name = e.name;
      let cached: unknown;
      return {
        prepare: (f) => [(cached = target(f))],
        get: (f) => getMember(cached ?? target(f), name, f.rt),
        set: (f, v) => setMember(cached, name, v, f.rt),
      };
    }
    if (e.kind === 'index') {
      const target = this.value(e.target, scope);
      const args = e.args.map((a) => this.value(a, scope));
      let t: unknown;
      let keys: unknown[] = [];
      return {
        prepare: (f) => {
          t = target(f);
          keys = args.map((a) => a(f));
          return [t, ...keys];
        },
        get: (f) => getIndex(t, keys, f.rt),
        set: (f, v) => setIndex(t, keys, v, f.rt),
      };
    }
    return { get: () => null, set: () => raise('System.InvalidOperationException', 'The left-hand side of an assignment must be a variable, property or indexer'), prepare: () => [] };
  }

  private assign(e: Extract<Expr, { kind: 'assign' }>, scope: BlockScope): Ev {
    if (e.target.kind === 'tuple') {
      // `(a, b) = (b, a)`: the receivers first, then the value, then each element in order.
      const targets = e.target.items.map((item) => this.lvalue(item.value, scope));
      const value = this.value(e.value, scope);
      return (f) => {
        for (const lv of targets) lv.prepare(f);
        const v = value(f);
        const parts = deconstruct(v, targets.length);
        targets.forEach((lv, i) => lv.set(f, parts[i]));
        return v;
      };
    }
    const lv = this.lvalue(e.target, scope);
    const value = this.value(e.value, scope);
    if (e.op === '=') {
      return (f) => {
        lv.prepare(f);
        const v = value(f);
        lv.set(f, v);
        return v;
      };
    }
    if (e.op === '??=') {
      return (f) => {
        lv.prepare(f);
        const cur = lv.get(f);
        if (cur !== null && cur !== undefined) return cur;
        const v = value(f);
        lv.set(f, v);
        return v;
      };
    }
    const op = e.op.slice(0, -1);
    const combine = this.binary(op, (f) => lv.get(f), value);
    return (f) => {
      lv.prepare(f);
      const v = combine(f);
      lv.set(f, v);
      return v;
    };
  }

  private increment(target: Expr, op: '++' | '--', prefix: boolean, scope: BlockScope): Ev {
    const lv = this.lvalue(target, scope);
    const checked = this.checked;
    return (f) => {
      lv.prepare(f);
      const old = lv.get(f);
      const next = old instanceof CharValue
        ? new CharValue((old.code + (op === '++' ? 1 : -1)) & 0xffff)
        : arithmetic(op === '++' ? '+' : '-', old, 1, checked, f.rt);
      lv.set(f, next);
      return prefix ? next : old;
    };
  }

  private args(args: Argument[], scope: BlockScope): { positional: Ev[]; named: Array<[string, Ev]> } {
    const positional: Ev[] = [];
    const named: Array<[string, Ev]> = [];
    for (const a of args) {
      let ev: Ev;
      if (a.modifier === 'out') {
        let lv: ReturnType<Compiler['lvalue']>;
        if (a.declare) {
          const index = scope.declare(a.declare.name);
          lv = { prepare: () => [], get: (f) => f.slots[index], set: (f, v) => { f.slots[index] = v; } };
        } else lv = this.lvalue(a.value, scope);
        ev = (f) => {
          lv.prepare(f);
          const slot: OutSlot & { __out: true } = { __out: true, set: (v: unknown) => lv.set(f, v) };
          return slot;
        };
      } else ev = this.value(a.value, scope);
      if (a.name !== undefined) named.push([a.name, ev]);
      else positional.push(ev);
    }
    return { positional, named };
  }

  private call(e: Extract<Expr, { kind: 'call' }>, scope: BlockScope): Ev {
    const { positional, named } = this.args(e.args, scope);
    const evalArgs = (f: Frame): unknown[] => positional.map((a) => a(f));
    const namedArgs = (f: Frame): Map<string, unknown> => new Map(named.map(([k, v]) => [k, v(f)]));
    const callee = e.callee;
    if (callee.kind === 'member') {
      const name = callee.name;
      const typeArgs = (callee.typeArgs ?? []).map(rtType);
      if (callee.target.kind === 'typeName') {
        const type = callee.target.type.name;
        return (f) => {
          f.rt.step();
          return callStatic(type, name, evalArgs(f), { rt: f.rt, typeArgs, named: namedArgs(f), name });
        };
      }
      const target = this.expr(callee.target, scope, true);
      const conditional = callee.conditional;
      return (f) => {
        const t = target(f);
        if (t === SHORT) return SHORT;
        if (conditional && (t === null || t === undefined)) return SHORT;
        f.rt.step();
        const r = callMember(t, name, evalArgs(f), { rt: f.rt, typeArgs, named: namedArgs(f), name });
        return r === undefined ? null : r;
      };
    }
    const fn = this.value(callee, scope);
    return (f) => {
      const l = fn(f);
      if (!(l instanceof LambdaValue)) return raise('System.InvalidOperationException', 'Method name expected');
      f.rt.step();
      return l.invoke(evalArgs(f));
    };
  }

  private lambda(e: Extract<Expr, { kind: 'lambda' }>, scope: BlockScope): Ev {
    const fnScope = new FunctionScope(scope.fn);
    const inner = new BlockScope(fnScope, scope);
    const params = e.params.map((p) => {
      const type = p.type ? rtType(p.type) : undefined;
      return { index: inner.declare(p.name, type), type };
    });
    let body: (f: Frame) => unknown;
    if (e.body.kind === 'block') {
      const block = this.block(e.body, inner);
      body = (f) => (block(f) === RETURN ? f.ret : undefined);
    } else body = this.value(e.body as Expr, inner);
    // A local function's results take its declared return type (`double Half(int x) => x;`).
    if (e.returnType !== undefined && e.returnType !== 'void') {
      const declared = rtType(e.returnType);
      const untyped = body;
      body = (f) => toDeclaredType(untyped(f), declared, f.rt);
    }
    const arity = params.length;
    return (outer) => new LambdaValue(arity, (args) => {
      const f = new Frame(outer.rt, outer.context, outer, fnScope.size);
      for (let i = 0; i < params.length; i++) {
        const p = params[i]!;
        const v = args[i] ?? null;
        f.slots[p.index] = !p.type ? v : p.type.tupleNames ? toDeclaredType(v, p.type, outer.rt) : castTo(v, p.type, false, false, outer.rt);
      }
      return body(f);
    });
  }

  // ---- statements ----

  block(b: Block, parent: BlockScope): Ex {
    const scope = new BlockScope(parent.fn, parent);
    // Local functions are in scope in the whole block, their own bodies included (recursion),
    // and callable above their declaration: they are made when the block starts (making one
    // has no effect but the closure), each compiled where it is written.
    const isFunction = (s: Stmt) => s.kind === 'local' && s.localFunction === true;
    for (const s of b.body) if (isFunction(s)) scope.declare((s as Extract<Stmt, { kind: 'local' }>).vars[0]!.name);
    const compiled = b.body.map((s) => ({ s, ex: this.stmt(s, scope) }));
    const stmts = [...compiled.filter((c) => isFunction(c.s)), ...compiled.filter((c) => !isFunction(c.s))].map((c) => c.ex);
    if (stmts.length === 1) return stmts[0]!;
    return (f) => {
      for (const s of stmts) {
        const code = s(f);
        if (code !== NORMAL) return code;
      }
      return NORMAL;
    };
  }

  private embedded(s: Stmt, scope: BlockScope): Ex {
    return s.kind === 'block' ? this.block(s, scope) : this.stmt(s, new BlockScope(scope.fn, scope));
  }

  private stmt(s: Stmt, scope: BlockScope): Ex {
    switch (s.kind) {
      case 'block':
        return this.block(s, scope);
      case 'empty':
        return () => NORMAL;
      case 'checkedBlock': {
        const saved = this.checked;
        this.checked = s.checked;
        const body = this.block(s.body, scope);
        this.checked = saved;
        return body;
      }
      case 'local': {
        const type = s.type === 'var' ? undefined : rtType(s.type);
        const inits = s.vars.map((v) => {
          const init = v.init ? this.value(v.init, scope) : undefined;
          // A local function's name was declared with its block.
          const index = s.localFunction ? scope.names.get(v.name)! : scope.declare(v.name, type);
          return { index, init };
        });
        return (f) => {
          for (const { index, init } of inits) {
            if (!init) {
              f.slots[index] = type?.tupleNames ? toDeclaredType(null, type, f.rt) : type ? defaultOf(type.name) : null;
              continue;
            }
            const v = init(f);
            f.slots[index] = type ? toDeclaredType(v, type, f.rt) : v;
          }
          return NORMAL;
        };
      }
      case 'deconstruct': {
        const value = this.value(s.value, scope);
        const targets = s.targets.map((t) => {
          const type = t.type === 'var' ? undefined : rtType(t.type);
          return { index: scope.declare(t.name, type), type };
        });
        return (f) => {
          const parts = deconstruct(value(f), targets.length);
          targets.forEach((t, i) => {
            f.slots[t.index] = t.type ? toDeclaredType(parts[i], t.type, f.rt) : parts[i];
          });
          return NORMAL;
        };
      }
      case 'expr': {
        const ev = this.value(s.expr, scope);
        return (f) => {
          ev(f);
          return NORMAL;
        };
      }
      case 'if': {
        const test = this.value(s.test, scope);
        const then = this.embedded(s.then, scope);
        const otherwise = s.else ? this.embedded(s.else, scope) : undefined;
        return (f) => (truthy(test(f)) ? then(f) : otherwise ? otherwise(f) : NORMAL);
      }
      case 'return': {
        if (!s.value) {
          // `return;` in a void local function or a lambda (the checker allows it nowhere else).
          return (f) => {
            f.ret = undefined;
            return RETURN;
          };
        }
        const value = this.value(s.value, scope);
        return (f) => {
          f.ret = value(f);
          return RETURN;
        };
      }
      case 'throw': {
        if (!s.value) {
          // `throw;` rethrows the exception of the innermost catch clause.
          const slot = this.caughtSlots[this.caughtSlots.length - 1]!;
          return (f) => {
            throw f.slots[slot];
          };
        }
        const value = this.value(s.value, scope);
        return (f) => throwValue(value(f));
      }
      case 'try': {
        const body = this.block(s.body, scope);
        const catches = s.catches.map((c) => {
          const inner = new BlockScope(scope.fn, scope);
          const named = c.name !== undefined ? inner.declare(c.name) : undefined;
          const caught = inner.declare(' caught');
          this.caughtSlots.push(caught);
          const block = this.block(c.body, inner);
          this.caughtSlots.pop();
          return { type: c.type?.name ?? 'Exception', named, caught, block };
        });
        const fin = s.finally ? this.block(s.finally, scope) : undefined;
        return (f) => {
          try {
            return body(f);
          } catch (err) {
            // Safety-limit errors are not .NET exceptions: an expression cannot catch them.
            if (!(err instanceof DotNetException)) throw err;
            for (const c of catches) {
              if (!exceptionMatches(err.exceptionType, c.type)) continue;
              f.slots[c.caught] = err;
              if (c.named !== undefined) f.slots[c.named] = exceptionValueOf(err);
              return c.block(f);
            }
            throw err;
          } finally {
            if (fin) fin(f);
          }
        };
      }
      case 'break':
        return () => BREAK;
      case 'continue':
        return () => CONTINUE;
      case 'while': {
        const test = this.value(s.test, scope);
        const body = this.embedded(s.body, scope);
        return (f) => {
          while (truthy(test(f))) {
            f.rt.step();
            const code = body(f);
            if (code === BREAK) break;
            if (code === RETURN) return RETURN;
          }
          return NORMAL;
        };
      }
      case 'do': {
        const test = this.value(s.test, scope);
        const body = this.embedded(s.body, scope);
        return (f) => {
          do {
            f.rt.step();
            const code = body(f);
            if (code === BREAK) break;
            if (code === RETURN) return RETURN;
          } while (truthy(test(f)));
          return NORMAL;
        };
      }
      case 'for': {
        const inner = new BlockScope(scope.fn, scope);
        const init = s.init.map((x) => this.stmt(x, inner));
        const test = s.test ? this.value(s.test, inner) : () => true;
        const update = s.update.map((u) => this.value(u, inner));
        const body = this.embedded(s.body, inner);
        return (f) => {
          for (const i of init) i(f);
          while (truthy(test(f))) {
            f.rt.step();
            const code = body(f);
            if (code === BREAK) break;
            if (code === RETURN) return RETURN;
            for (const u of update) u(f);
          }
          return NORMAL;
        };
      }
      case 'foreach': {
        const collection = this.value(s.collection, scope);
        const inner = new BlockScope(scope.fn, scope);
        const index = inner.declare(s.name);
        const type = s.type === 'var' ? undefined : rtType(s.type);
        const body = this.embedded(s.body, inner);
        return (f) => {
          const c = collection(f);
          if (c === null || c === undefined) nullReference();
          for (const item of toArray(c, f.rt, true)) {
            f.rt.step();
            f.slots[index] = type && type.name !== 'object' && type.name !== 'var' ? castTo(item, type, false, false, f.rt) : item;
            const code = body(f);
            if (code === BREAK) break;
            if (code === RETURN) return RETURN;
          }
          return NORMAL;
        };
      }
      case 'switch': {
        const value = this.value(s.value, scope);
        const inner = new BlockScope(scope.fn, scope);
        const sections = s.sections.map((sec) => ({
          labels: sec.labels.map((l) => (l === 'default' ? 'default' as const : this.value(l, inner))),
          body: sec.body.map((x) => this.stmt(x, inner)),
        }));
        return (f) => {
          const v = value(f);
          let chosen = sections.find((sec) => sec.labels.some((l) => l !== 'default' && equals(v, l(f))));
          chosen ??= sections.find((sec) => sec.labels.includes('default'));
          if (!chosen) return NORMAL;
          for (const st of chosen.body) {
            const code = st(f);
            if (code === BREAK) return NORMAL;
            if (code !== NORMAL) return code;
          }
          return NORMAL;
        };
      }
    }
  }
}

function site(f: Frame, name: string): CallSite {
  return { rt: f.rt, typeArgs: [], named: new Map(), name };
}

/** Implicit conversions on declaration (`long x = 5;`, `double d = 1;`, `string s = null`). */
function implicitConvert(v: unknown, t: RtType, rt: Runtime): unknown {
  if (t.arrayRank > 0 || t.args.length > 0) return v;
  switch (t.name) {
    case 'long': case 'double': case 'float': case 'decimal':
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof CharValue) return castTo(v, t, false, false, rt);
      return v;
    case 'int':
      if (v instanceof CharValue) return v.code;
      return v;
    case 'XNamespace': case 'XName':
      return typeof v === 'string' ? castTo(v, t, false, false, rt) : v;
    default:
      return v;
  }
}

function throwValue(v: unknown): never {
  if (v instanceof ExceptionValue) throw new DotNetException(v.typeName, v.message);
  if (v !== null && typeof v === 'object' && 'message' in v && 'typeName' in v) {
    throw new DotNetException(String((v as { typeName: string }).typeName), String((v as { message: string }).message));
  }
  if (v === null) return nullReference();
  throw new ExpressionEvaluationError(`Expression evaluation failed. ${display(v)}`);
}
