/**
 * Static checks before anything runs (reference §4.1 "save-time checks"): every name resolves
 * (locals, `context`, allow-listed types), every type is on the allow-list, static members and
 * members of `context`'s interfaces exist, members used on other values belong to some allowed
 * type, and blocks return on every path. Rewrites type references to `typeName` nodes and marks
 * casts whose operand is statically `object` (unboxing rules).
 */
import type { Argument, Block, Expr, Program, Stmt, TypeRef } from './ast.js';
import { ExpressionCompileError } from './errors.js';
import type { SourceMap } from './source-position.js';
import { allowedTypes, canonicalType, isNamespacePrefix } from './runtime/type-names.js';
import { allInstanceMemberNames, constructibleTypes, staticMemberNames } from './runtime/dispatch.js';
import { hostTypes } from './runtime/host-types.js';
import { linqMethods } from './runtime/linq.js';
import { ownMember } from './runtime/member-table.js';
import { stringMembers } from './runtime/strings.js';
import { exceptionTypes } from './runtime/exceptions.js';
import { literalXPathProblem, xpathMethodNames } from './runtime/xpath.js';

const instanceNames = allInstanceMemberNames();
const objectMembers = new Set(['ToString', 'Equals', 'GetHashCode']);
const stringMemberNames = new Set([
  ...Object.keys(stringMembers.props ?? {}), ...Object.keys(stringMembers.methods ?? {}), ...Object.keys(linqMethods.methods ?? {}),
  'AsJwt', 'AsBasic', 'TryParseJwt', 'TryParseBasic', ...objectMembers,
]);
/** Members System.String has in .NET that Gatehouse does not implement (reported as unsupported, not unknown). */
const unimplementedStringMembers = new Set(['Clone', 'CopyTo', 'EnumerateRunes', 'GetEnumerator', 'GetPinnableReference', 'GetTypeCode', 'IsNormalized', 'LastIndexOfAny', 'ReplaceLineEndings', 'TryCopyTo', 'Chars', 'AsSpan', 'AsMemory']);
const forbiddenMembers = new Set(['GetType', 'InvokeMember', 'GetMethod', 'GetProperty', 'GetField', 'CreateInstance', 'Invoke', 'DynamicInvoke']);

/** Types the checker can name that do not implement IDisposable (CS1674 in `using`). */
const notDisposable = new Set(['int', 'long', 'short', 'ushort', 'uint', 'ulong', 'byte', 'sbyte', 'double', 'float', 'decimal', 'bool', 'char',
  'string', 'DateTime', 'DateTimeOffset', 'TimeSpan', 'Guid', 'JObject', 'JArray', 'JToken', 'StringBuilder', 'Uri', 'IPAddress', 'TimeZoneInfo']);

/** A static type as far as the checker knows it (undefined: unknown). */
type StaticType = string | undefined;

interface Local {
  type: StaticType;
  /** Declared by `using`: read-only. */
  usingVar?: boolean;
}

class Scope {
  readonly names = new Map<string, Local>();
  constructor(readonly parent: Scope | null) {}
  lookup(name: string): Local | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

/** Checks (and rewrites) a parsed program; throws ExpressionCompileError. */
export function checkProgram(program: Program, map: SourceMap): Program {
  const c = new Checker(map);
  if (program.kind === 'expression') {
    if (program.expr.kind === 'lambda') c.fail(program.expr.offset, "Cannot convert lambda expression to type 'object' because it is not a delegate type");
    return { kind: 'expression', expr: c.expr(program.expr, new Scope(null)).expr };
  }
  const scope = new Scope(null);
  const block = c.block(program.block, scope, 0);
  if (!c.alwaysReturns(block)) c.fail(program.block.offset + Math.max(0, 0), 'Not all code paths return a value');
  return { kind: 'block', block };
}

class Checker {
  /** Member names of anonymous objects created in this expression (usable through LINQ). */
  private readonly anonymousFields = new Set<string>();
  /** How many catch clauses enclose the statement being checked (`throw;` needs one). */
  private catchDepth = 0;
  /**
   * What `return` must give in the body being checked: a value (the expression itself, a local
   * function with a return type), nothing (a `void` local function), or either (a lambda).
   */
  private returns: 'value' | 'void' | 'any' = 'value';

  constructor(private readonly map: SourceMap) {}

  fail(offset: number, reason: string): never {
    const p = this.map.position(offset);
    throw new ExpressionCompileError(reason, p.line, p.column);
  }

  /**
   * Resolves a written type to its canonical name, failing for types not on the allow-list.
   * Tuple types are allowed where `allowTuple` says so (declarations, parameters, return types)
   * and as elements of tuple types.
   */
  type(t: TypeRef, allowTuple = false): TypeRef {
    if (t.tupleNames) {
      if (!allowTuple) this.fail(t.offset, 'Tuple types are supported in policy expressions only as the type of a local, a parameter or a local function result');
      if (t.arrayRank > 0 || t.nullable) this.fail(t.offset, 'Arrays and nullables of tuple types are not supported in policy expressions');
      this.tupleNames(t.tupleNames, t.offset);
      return { ...t, args: t.args.map((a) => this.type(a, true)) };
    }
    const canonical = t.name === 'var' ? undefined : canonicalType(t.name);
    if (canonical === undefined) {
      if (t.name === 'dynamic') this.fail(t.offset, "The type 'dynamic' is not supported within expressions");
      this.fail(t.offset, `Usage of type '${t.name}' is not supported within expressions`);
    }
    return { ...t, name: canonical, args: t.args.map((a) => this.type(a)) };
  }

  /** C#'s rules for tuple element names (CS8124-CS8127) and Gatehouse's element limit; makes `ItemN` usable. */
  private tupleNames(names: ReadonlyArray<string | undefined>, offset: number): void {
    if (names.length > maxTupleElements) this.fail(offset, `Tuples of more than ${maxTupleElements} elements are not supported in policy expressions`);
    names.forEach((name, i) => {
      this.anonymousFields.add(`Item${i + 1}`);
      if (name === undefined) return;
      const item = /^Item(\d+)$/.exec(name);
      if (item && Number(item[1]) !== i + 1) this.fail(offset, `Tuple element name '${name}' is only allowed at position ${item[1]}.`);
      if (tupleReservedNames.has(name)) this.fail(offset, `Tuple element name '${name}' is disallowed.`);
      if (names.indexOf(name) !== i) this.fail(offset, 'Tuple element names must be unique.');
      this.anonymousFields.add(name);
    });
  }

  /** Fails when a tuple of static type `type` cannot give `count` elements (CS8132). */
  private checkArity(type: StaticType, count: number, offset: number, what: 'deconstruct' | 'convert'): void {
    const arity = tupleArity(type);
    if (arity !== undefined && arity !== count) {
      this.fail(offset, what === 'deconstruct'
        ? `Cannot deconstruct a tuple of '${arity}' elements into '${count}' variables.`
        : `Cannot implicitly convert a tuple of ${arity} elements to a tuple type of ${count} elements`);
    }
    if (arity !== undefined || type === undefined) return;
    if (what === 'deconstruct' && type !== 'KeyValuePair') this.fail(offset, `'${type}' does not contain a definition for 'Deconstruct'`);
    if (what === 'convert') this.fail(offset, `Cannot implicitly convert type '${type}' to a tuple type`);
  }

  private declare(scope: Scope, name: string, type: StaticType, offset: number, usingVar = false): void {
    if (scope.lookup(name)) this.fail(offset, `A local variable named '${name}' is already defined in this scope`);
    if (name === 'context') this.fail(offset, "A local variable named 'context' cannot be declared in this scope");
    scope.names.set(name, usingVar ? { type, usingVar } : { type });
  }

  /** Fails for a write to a `using` variable (CS1656). */
  private checkWritable(target: Expr, scope: Scope, offset: number): void {
    if (target.kind === 'name' && scope.lookup(target.name)?.usingVar) this.fail(offset, `Cannot assign to '${target.name}' because it is a 'using variable'`);
  }

  /** What a name or dotted member chain denotes when it is not a value. */
  private classify(e: Expr, scope: Scope): { kind: 'type'; name: string; typeArgs?: TypeRef[] } | { kind: 'namespace'; path: string } | undefined {
    if (e.kind === 'name') {
      if (scope.lookup(e.name) || e.name === 'context') return undefined;
      const canonical = canonicalType(e.name);
      if (canonical !== undefined && !e.name.includes('.')) return { kind: 'type', name: canonical, typeArgs: e.typeArgs };
      if (isNamespacePrefix(e.name)) return { kind: 'namespace', path: e.name };
      return undefined;
    }
    if (e.kind === 'member' && !e.conditional) {
      const inner = this.classify(e.target, scope);
      if (inner?.kind === 'namespace') {
        const path = `${inner.path}.${e.name}`;
        const canonical = canonicalType(path);
        if (canonical !== undefined) return { kind: 'type', name: canonical, typeArgs: e.typeArgs };
        if (isNamespacePrefix(path)) return { kind: 'namespace', path };
        this.fail(e.offset, `Usage of type '${path}' is not supported within expressions`);
      }
    }
    return undefined;
  }

  private typeNode(name: string, offset: number, typeArgs?: TypeRef[]): Expr {
    return { kind: 'typeName', type: { name, args: (typeArgs ?? []).map((t) => this.type(t)), arrayRank: 0, nullable: false, offset }, offset };
  }

  /** A literal XPath argument is parsed now: a path that cannot run is refused at save time. */
  private checkLiteralXPath(args: Argument[]): void {
    const path = args[0]?.value;
    if (path?.kind !== 'literal' || typeof path.value !== 'string') return;
    const problem = literalXPathProblem(path.value);
    if (problem) this.fail(path.offset, problem);
  }

  private memberOfStatic(type: string, member: string, offset: number): void {
    if (forbiddenMembers.has(member)) this.fail(offset, `Usage of member '${member}' is not supported within expressions`);
    const members = staticMemberNames(type);
    if (members.size === 0) this.fail(offset, `Usage of type '${type}' is not supported within expressions`);
    if (!members.has(member)) this.fail(offset, `'${type}' does not contain a definition for '${member}'`);
  }

  private memberOfInstance(staticType: StaticType, member: string, offset: number): StaticType {
    if (forbiddenMembers.has(member)) this.fail(offset, `Usage of member '${member}' is not supported within expressions`);
    if (staticType?.startsWith('tuple:')) {
      const names = staticType.slice(6).split(',');
      const item = /^Item(\d+)$/.exec(member);
      if ((item && Number(item[1]) >= 1 && Number(item[1]) <= names.length) || names.includes(member) || objectMembers.has(member)) return undefined;
      this.fail(offset, `'(${names.map((n) => n || '…').join(', ')})' does not contain a definition for '${member}'`);
    }
    if (staticType?.startsWith('anon:')) {
      if (staticType.slice(5).split(',').includes(member) || objectMembers.has(member)) return undefined;
      this.fail(offset, `'<anonymous type>' does not contain a definition for '${member}'`);
    }
    if (staticType && hostTypes[staticType]) {
      const m = ownMember(hostTypes[staticType], member);
      if (!m && staticType === 'Variables' && ownMember(linqMethods.methods, member)) return undefined;
      if (!m && !objectMembers.has(member)) this.fail(offset, `'${staticType}' does not contain a definition for '${member}'`);
      return m?.type ?? (staticType === 'Variables' && member === 'GetValueOrDefault' ? 'object' : undefined);
    }
    if (staticType === 'object' && !objectMembers.has(member)) {
      this.fail(offset, `'object' does not contain a definition for '${member}' and no accessible extension method '${member}' accepting a first argument of type 'object' could be found`);
    }
    if (staticType === 'string' && unimplementedStringMembers.has(member)) this.fail(offset, `Usage of member 'string.${member}' is not supported within expressions`);
    if (staticType === 'string' && !stringMemberNames.has(member)) this.fail(offset, `'string' does not contain a definition for '${member}'`);
    if (!instanceNames.has(member) && !this.anonymousFields.has(member)) this.fail(offset, `Usage of member '${member}' is not supported within expressions`);
    return undefined;
  }

  expr(e: Expr, scope: Scope): { expr: Expr; type: StaticType } {
    switch (e.kind) {
      case 'literal':
        return { expr: e, type: e.literalType === 'null' ? undefined : literalStatic(e.literalType) };
      case 'name': {
        if (e.name === 'context') return { expr: e, type: 'IProxyRequestContext' };
        const local = scope.lookup(e.name);
        if (local) return { expr: e, type: local.type };
        const cls = this.classify(e, scope);
        if (cls?.kind === 'type') this.fail(e.offset, `'${e.name}' is a type, which is not valid in the given context`);
        if (cls?.kind === 'namespace') this.fail(e.offset, `'${e.name}' is a namespace, which is not valid in the given context`);
        if (/^[A-Z]/.test(e.name) && !allowedTypes[e.name]) this.fail(e.offset, `The name '${e.name}' does not exist in the current context (types outside the allowed list are not supported within expressions)`);
        return this.fail(e.offset, `The name '${e.name}' does not exist in the current context`);
      }
      case 'member': {
        const cls = this.classify(e.target, scope);
        if (cls?.kind === 'type') {
          this.memberOfStatic(cls.name, e.name, e.offset);
          const target = this.typeNode(cls.name, e.target.offset, cls.typeArgs);
          return { expr: { ...e, target }, type: undefined };
        }
        if (cls?.kind === 'namespace') {
          const path = `${cls.path}.${e.name}`;
          this.fail(e.offset, `Usage of type '${path}' is not supported within expressions`);
        }
        const t = this.expr(e.target, scope);
        const type = this.memberOfInstance(t.type, e.name, e.offset);
        const typeArgs = e.typeArgs?.map((a) => this.type(a));
        const node: Expr = { ...e, target: t.expr };
        if (typeArgs) node.typeArgs = typeArgs;
        let resultType = type;
        if (typeArgs && typeArgs.length === 1 && (e.name === 'GetValueOrDefault' || e.name === 'As' || e.name === 'Value' || e.name === 'ToObject')) {
          resultType = typeArgs[0]!.name;
        }
        return { expr: node, type: resultType };
      }
      case 'call': {
        let callee: Expr;
        let type: StaticType;
        if (e.callee.kind === 'member') {
          const r = this.expr(e.callee, scope);
          callee = r.expr;
          type = r.type;
          if (e.callee.name === 'GetValueOrDefault' && !e.callee.typeArgs) {
            const targetType = callee.kind === 'member' && callee.target.kind !== 'typeName' ? undefined : undefined;
            void targetType;
          }
        } else if (e.callee.kind === 'name') {
          const local = scope.lookup(e.callee.name);
          if (!local) {
            if (e.callee.name === 'nameof') return this.fail(e.offset, 'nameof is not supported');
            this.fail(e.callee.offset, `The name '${e.callee.name}' does not exist in the current context`);
          }
          callee = e.callee;
          type = undefined;
        } else {
          callee = this.expr(e.callee, scope).expr;
          type = undefined;
        }
        // The receiver before the arguments, as C# evaluates them: a lambda argument can then use
        // the names of tuples and anonymous objects the receiver makes (`.Select(t => t.x)`).
        const args = this.args(e.args, scope);
        // `Variables.GetValueOrDefault("x")` (non-generic) and `Variables["x"]` are object.
        if (callee.kind === 'member' && callee.name === 'GetValueOrDefault' && !callee.typeArgs) {
          const t = this.staticTypeOf(callee.target, scope);
          if (t === 'Variables') type = 'object';
        }
        if (callee.kind === 'member' && (callee.name === 'ToString')) type = 'string';
        if (callee.kind === 'member' && xpathMethodNames.has(callee.name)) this.checkLiteralXPath(e.args);
        return { expr: { ...e, callee, args }, type };
      }
      case 'index': {
        const t = this.expr(e.target, scope);
        const args = e.args.map((a) => this.expr(a, scope).expr);
        return { expr: { ...e, target: t.expr, args }, type: t.type === 'Variables' ? 'object' : undefined };
      }
      case 'unary': {
        const o = this.expr(e.operand, scope);
        if ((e.op === '++' || e.op === '--') && !isAssignable(e.operand)) this.fail(e.offset, 'The operand of an increment or decrement operator must be a variable, property or indexer');
        if (e.op === '++' || e.op === '--') this.checkWritable(e.operand, scope, e.offset);
        return { expr: { ...e, operand: o.expr }, type: e.op === '!' ? 'bool' : o.type };
      }
      case 'postfix': {
        if (!isAssignable(e.operand)) this.fail(e.offset, 'The operand of an increment or decrement operator must be a variable, property or indexer');
        this.checkWritable(e.operand, scope, e.offset);
        const o = this.expr(e.operand, scope);
        return { expr: { ...e, operand: o.expr }, type: o.type };
      }
      case 'binary': {
        const l = this.expr(e.left, scope);
        const r = this.expr(e.right, scope);
        const la = tupleArity(l.type);
        const ra = tupleArity(r.type);
        if ((la !== undefined || ra !== undefined) && e.op !== '??') {
          if (e.op !== '==' && e.op !== '!=') this.fail(e.offset, `Operator '${e.op}' cannot be applied to tuples`);
          if (la !== undefined && ra !== undefined && la !== ra) {
            this.fail(e.offset, `Tuple types used as operands of an == or != operator must have matching cardinalities. But this operator has tuple types of cardinality ${la} on the left and ${ra} on the right.`);
          }
          if (la === undefined || ra === undefined) {
            const other = la === undefined ? l : r;
            if (other.type !== undefined || (other.expr.kind === 'literal' && other.expr.literalType === 'null')) this.fail(e.offset, `Operator '${e.op}' cannot be applied to a tuple and a value that is not a tuple`);
          }
        }
        let type: StaticType;
        if (['==', '!=', '<', '>', '<=', '>=', '&&', '||'].includes(e.op)) type = 'bool';
        else if (e.op === '+' && (l.type === 'string' || r.type === 'string')) type = 'string';
        else if (e.op === '??') type = l.type === r.type ? l.type : undefined;
        return { expr: { ...e, left: l.expr, right: r.expr }, type };
      }
      case 'assign': {
        if (e.target.kind === 'name' && e.target.name === 'context') this.fail(e.offset, "Cannot assign to 'context'");
        if (e.target.kind === 'tuple') {
          const targets = e.target.items.map((item) => {
            this.checkWritable(item.value, scope, item.value.offset);
            return { value: this.expr(item.value, scope).expr };
          });
          const v = this.expr(e.value, scope);
          this.checkArity(v.type, targets.length, e.value.offset, 'deconstruct');
          return { expr: { ...e, target: { ...e.target, items: targets }, value: v.expr }, type: v.type };
        }
        if (e.op !== '=' && tupleArity(this.staticTypeOf(e.target, scope)) !== undefined) this.fail(e.offset, `Operator '${e.op}' cannot be applied to tuples`);
        if (e.target.kind === 'member' && !e.target.conditional && this.staticTypeOf(e.target.target, scope)?.startsWith('tuple:')) {
          this.fail(e.offset, 'Tuple elements cannot be assigned in policy expressions; assign the whole tuple instead');
        }
        this.checkWritable(e.target, scope, e.offset);
        const t = this.expr(e.target, scope);
        const v = this.expr(e.value, scope);
        return { expr: { ...e, target: t.expr, value: v.expr }, type: t.type };
      }
      case 'conditional': {
        const a = this.expr(e.test, scope);
        const b = this.expr(e.then, scope);
        const c = this.expr(e.else, scope);
        return { expr: { ...e, test: a.expr, then: b.expr, else: c.expr }, type: b.type === c.type ? b.type : undefined };
      }
      case 'cast': {
        const type = this.type(e.type);
        const o = this.expr(e.operand, scope);
        const node: Expr = { ...e, type, operand: o.expr };
        if (o.type === 'object') node.fromObject = true;
        return { expr: node, type: type.arrayRank === 0 && !type.nullable ? type.name : undefined };
      }
      case 'is': {
        const type = this.type(e.type);
        const o = this.expr(e.operand, scope);
        if (e.declare) this.declare(scope, e.declare, type.name, e.offset);
        return { expr: { ...e, type, operand: o.expr }, type: 'bool' };
      }
      case 'isConst':
        return { expr: { ...e, operand: this.expr(e.operand, scope).expr, value: this.expr(e.value, scope).expr }, type: 'bool' };
      case 'as': {
        const type = this.type(e.type);
        const o = this.expr(e.operand, scope);
        return { expr: { ...e, type, operand: o.expr }, type: type.name };
      }
      case 'lambda': {
        const inner = new Scope(scope);
        for (const p of e.params) {
          this.declare(inner, p.name, p.type ? declaredStatic(this.type(p.type, true)) : undefined, e.offset);
        }
        const params = e.params.map((p) => (p.type ? { name: p.name, type: this.type(p.type, true) } : { name: p.name }));
        const returnType = e.returnType === undefined || e.returnType === 'void' ? e.returnType : this.type(e.returnType, true);
        const node = { ...e, params, ...(returnType === undefined ? {} : { returnType }) };
        if (e.body.kind === 'block') {
          const outer = this.returns;
          this.returns = returnType === undefined ? 'any' : returnType === 'void' ? 'void' : 'value';
          try {
            const body = this.block(e.body, inner, 0);
            if (this.returns === 'value' && !this.alwaysReturns(body)) this.fail(e.offset, 'Not all code paths return a value');
            return { expr: { ...node, body }, type: undefined };
          } finally {
            this.returns = outer;
          }
        }
        return { expr: { ...node, body: this.expr(e.body, inner).expr }, type: undefined };
      }
      case 'new': {
        const type = this.type(e.type);
        if (!constructibleTypes.has(type.name)) this.fail(e.type.offset, `Usage of constructor of type '${e.type.name}' is not supported within expressions`);
        const args = this.args(e.args, scope);
        const node: Expr = { ...e, type, args };
        if (e.init) {
          node.init = e.init.kind === 'collection'
            ? { kind: 'collection', items: e.init.items.map((g) => g.map((x) => this.expr(x, scope).expr)) }
            : { kind: 'object', members: e.init.members.map((m) => ({ ...m, index: m.index?.map((x) => this.expr(x, scope).expr), value: this.expr(m.value, scope).expr })) };
        }
        return { expr: node, type: type.name };
      }
      case 'newArray': {
        const node: Expr = { ...e };
        if (e.elementType) node.elementType = this.type(e.elementType);
        if (e.size) node.size = this.expr(e.size, scope).expr;
        if (e.items) node.items = e.items.map((x) => this.expr(x, scope).expr);
        return { expr: node, type: undefined };
      }
      case 'tuple': {
        const items = e.items.map((item) => ({ name: item.name, value: this.expr(item.value, scope).expr }));
        const explicit = items.map((item) => item.name);
        this.tupleNames(explicit, e.offset);
        // C# 7.1 infers a name from an element that is a variable or member (`(x, p.Name)`),
        // unless it is reserved or another element has it.
        const inferred = items.map((item, i) => item.name ?? (item.value.kind === 'name' || item.value.kind === 'member' ? item.value.name : undefined));
        const names = inferred.map((name, i) => {
          if (name === undefined || explicit[i] !== undefined) return name;
          const clash = tupleReservedNames.has(name) || /^Item\d+$/.test(name) || inferred.some((other, j) => j !== i && other === name);
          return clash ? undefined : name;
        });
        for (const name of names) if (name !== undefined) this.anonymousFields.add(name);
        return {
          expr: { ...e, items: items.map((item, i) => (names[i] === undefined ? { value: item.value } : { name: names[i], value: item.value })) },
          type: 'tuple:' + names.map((n) => n ?? '').join(','),
        };
      }
      case 'newAnonymous':
        for (const m of e.members) this.anonymousFields.add(m.name);
        return { expr: { ...e, members: e.members.map((m) => ({ name: m.name, value: this.expr(m.value, scope).expr })) }, type: 'anon:' + e.members.map((m) => m.name).join(',') };
      case 'interpolated':
        return {
          expr: {
            ...e,
            parts: e.parts.map((p) => {
              if (typeof p === 'string') return p;
              const part: { expr: Expr; alignment?: Expr; format?: string } = { expr: this.expr(p.expr, scope).expr };
              if (p.alignment) part.alignment = this.expr(p.alignment, scope).expr;
              if (p.format !== undefined) part.format = p.format;
              return part;
            }),
          },
          type: 'string',
        };
      case 'typeof':
        return { expr: { ...e, type: this.type(e.type) }, type: undefined };
      case 'default':
        return { expr: e.type ? { ...e, type: this.type(e.type) } : e, type: e.type ? canonicalType(e.type.name) : undefined };
      case 'checked': {
        const o = this.expr(e.operand, scope);
        return { expr: { ...e, operand: o.expr }, type: o.type };
      }
      case 'throw':
        return { expr: { ...e, value: this.expr(e.value, scope).expr }, type: undefined };
      case 'nameof':
        return { expr: e, type: 'string' };
      case 'typeName':
        return { expr: e, type: undefined };
    }
  }

  private staticTypeOf(e: Expr, scope: Scope): StaticType {
    if (e.kind === 'name' && e.name === 'context') return 'IProxyRequestContext';
    if (e.kind === 'name') return scope.lookup(e.name)?.type;
    if (e.kind === 'member') {
      const t = this.staticTypeOf(e.target, scope);
      if (t && hostTypes[t]) return ownMember(hostTypes[t], e.name)?.type;
    }
    return undefined;
  }

  private args(args: Argument[], scope: Scope): Argument[] {
    return args.map((a) => {
      if (a.declare) {
        const t = a.declare.type === 'var' ? undefined : this.type(a.declare.type).name;
        this.declare(scope, a.declare.name, t, a.value.offset);
        const declare = a.declare.type === 'var' ? a.declare : { type: this.type(a.declare.type), name: a.declare.name };
        return { ...a, declare };
      }
      if (a.modifier === 'out' && !isAssignable(a.value)) this.fail(a.value.offset, 'An out argument must be an assignable variable');
      return { ...a, value: this.expr(a.value, scope).expr };
    });
  }

  block(b: Block, parent: Scope, loopDepth: number): Block {
    const scope = new Scope(parent);
    // Local functions are in scope in the whole block, their own bodies included (recursion).
    for (const s of b.body) if (s.kind === 'local' && s.localFunction) this.declare(scope, s.vars[0]!.name, undefined, s.vars[0]!.offset);
    return { ...b, body: b.body.map((s) => this.stmt(s, scope, loopDepth)) };
  }

  private embedded(s: Stmt, scope: Scope, loopDepth: number): Stmt {
    if (s.kind === 'block') return this.block(s, scope, loopDepth);
    return this.stmt(s, new Scope(scope), loopDepth);
  }

  stmt(s: Stmt, scope: Scope, loopDepth: number): Stmt {
    switch (s.kind) {
      case 'block':
        return this.block(s, scope, loopDepth);
      case 'local': {
        if (s.localFunction) return { ...s, vars: s.vars.map((v) => ({ ...v, init: this.expr(v.init!, scope).expr })) };
        const type = s.type === 'var' ? 'var' : this.type(s.type, !s.using);
        const vars = s.vars.map((v) => {
          const init = v.init ? this.expr(v.init, scope) : undefined;
          if (init && type !== 'var' && type.tupleNames) this.checkArity(init.type, type.args.length, v.init!.offset, 'convert');
          const staticType = type === 'var' ? init?.type : declaredStatic(type);
          if (s.using && staticType !== undefined && notDisposable.has(staticType)) {
            this.fail(s.offset, `'${staticType}': type used in a using statement must be implicitly convertible to 'System.IDisposable'`);
          }
          this.declare(scope, v.name, staticType, v.offset, s.using === true);
          return init ? { ...v, init: init.expr } : v;
        });
        return { ...s, type, vars };
      }
      case 'expr':
        return { ...s, expr: this.expr(s.expr, scope).expr };
      case 'deconstruct': {
        const value = this.expr(s.value, scope);
        this.checkArity(value.type, s.targets.length, s.value.offset, 'deconstruct');
        const targets = s.targets.map((t) => {
          const type: TypeRef | 'var' = t.type === 'var' ? 'var' : this.type(t.type, true);
          this.declare(scope, t.name, type === 'var' ? undefined : declaredStatic(type), t.offset);
          return { ...t, type };
        });
        return { ...s, value: value.expr, targets };
      }
      case 'if': {
        const node: Stmt = { ...s, test: this.expr(s.test, scope).expr, then: this.embedded(s.then, scope, loopDepth) };
        if (s.else) node.else = this.embedded(s.else, scope, loopDepth);
        return node;
      }
      case 'return':
        if (!s.value) return this.returns === 'value' ? this.fail(s.offset, 'An object of a type convertible to \'object\' is required') : s;
        if (this.returns === 'void') this.fail(s.offset, 'A local function that returns void cannot return a value');
        return { ...s, value: this.expr(s.value, scope).expr };
      case 'foreach': {
        const collection = this.expr(s.collection, scope).expr;
        const inner = new Scope(scope);
        const type = s.type === 'var' ? 'var' : this.type(s.type);
        this.declare(inner, s.name, type === 'var' ? undefined : type.name, s.offset);
        return { ...s, type, collection, body: this.embedded(s.body, inner, loopDepth + 1) };
      }
      case 'for': {
        const inner = new Scope(scope);
        const init = s.init.map((x) => this.stmt(x, inner, loopDepth));
        const node: Stmt = { ...s, init, update: s.update.map((u) => this.expr(u, inner).expr), body: this.embedded(s.body, inner, loopDepth + 1) };
        if (s.test) node.test = this.expr(s.test, inner).expr;
        return node;
      }
      case 'while':
        return { ...s, test: this.expr(s.test, scope).expr, body: this.embedded(s.body, scope, loopDepth + 1) };
      case 'do':
        return { ...s, body: this.embedded(s.body, scope, loopDepth + 1), test: this.expr(s.test, scope).expr };
      case 'break':
        if (loopDepth === 0) this.fail(s.offset, 'No enclosing loop out of which to break or continue');
        return s;
      case 'continue':
        if (loopDepth === 0 || loopDepth % 1000 === 999) this.fail(s.offset, 'No enclosing loop out of which to break or continue');
        return s;
      case 'switch': {
        const value = this.expr(s.value, scope).expr;
        const inner = new Scope(scope);
        // `break` is allowed in a switch; `continue` only if a loop encloses it (tracked by +1000 offset).
        const depth = loopDepth === 0 ? 999 : loopDepth + 1;
        const sections = s.sections.map((sec) => ({
          labels: sec.labels.map((l) => (l === 'default' ? l : this.expr(l, inner).expr)),
          body: sec.body.map((x) => this.stmt(x, inner, depth)),
        }));
        return { ...s, value, sections };
      }
      case 'throw':
        if (!s.value && this.catchDepth === 0) this.fail(s.offset, 'A throw statement with no arguments is not allowed outside of a catch clause');
        return s.value ? { ...s, value: this.expr(s.value, scope).expr } : s;
      case 'empty':
        return s;
      case 'checkedBlock':
        return { ...s, body: this.block(s.body, scope, loopDepth) };
      case 'try': {
        const body = this.block(s.body, scope, loopDepth);
        const catches = s.catches.map((c) => {
          const inner = new Scope(scope);
          const type = c.type ? this.type(c.type) : undefined;
          if (type && !exceptionTypes[type.name]) this.fail(c.type!.offset, `The type caught or thrown must be derived from System.Exception`);
          if (c.name) this.declare(inner, c.name, type?.name, c.offset);
          this.catchDepth++;
          const b = this.block(c.body, inner, loopDepth);
          this.catchDepth--;
          return type ? { ...c, type, body: b } : { ...c, body: b };
        });
        const node: Stmt = { ...s, body, catches };
        if (s.finally) {
          if (this.alwaysReturns(s.finally)) this.fail(s.finally.offset, 'Control cannot leave the body of a finally clause');
          node.finally = this.block(s.finally, scope, loopDepth);
        }
        return node;
      }
    }
  }

  /** True when control cannot reach the end of the statement list (C# definite return). */
  alwaysReturns(s: Stmt | Stmt[]): boolean {
    if (Array.isArray(s)) return s.some((x) => this.alwaysReturns(x));
    switch (s.kind) {
      case 'return': case 'throw': return true;
      case 'block': return this.alwaysReturns(s.body);
      case 'checkedBlock': return this.alwaysReturns(s.body.body);
      case 'try':
        return (s.finally !== undefined && this.alwaysReturns(s.finally)) ||
          (this.alwaysReturns(s.body) && s.catches.every((c) => this.alwaysReturns(c.body)));
      case 'if': return s.else !== undefined && this.alwaysReturns(s.then) && this.alwaysReturns(s.else);
      case 'while': return isTrueLiteral(s.test) && !containsBreak(s.body);
      case 'for': return (s.test === undefined || isTrueLiteral(s.test)) && !containsBreak(s.body);
      case 'do': return this.alwaysReturns(s.body) || (isTrueLiteral(s.test) && !containsBreak(s.body));
      case 'switch':
        return s.sections.some((sec) => sec.labels.includes('default')) &&
          s.sections.every((sec) => this.alwaysReturns(sec.body) && !sec.body.some((x) => containsBreak(x)));
      default: return false;
    }
  }
}

/** Tuple element names C# disallows (CS8126). */
const tupleReservedNames = new Set(['CompareTo', 'Deconstruct', 'Equals', 'GetHashCode', 'Rest', 'ToString']);
/** Gatehouse's tuples end at ValueTuple`7 (no `Rest` nesting). */
const maxTupleElements = 7;

/** The static type a declaration of `type` gives its variable (`tuple:code,` for `(int code, string)`). */
function declaredStatic(type: TypeRef): StaticType {
  if (type.tupleNames) return 'tuple:' + type.tupleNames.map((n) => n ?? '').join(',');
  return type.arrayRank === 0 ? type.name : undefined;
}

/** How many elements a tuple static type has (undefined: not known to be a tuple). */
function tupleArity(type: StaticType): number | undefined {
  return type?.startsWith('tuple:') ? type.slice(6).split(',').length : undefined;
}

function isTrueLiteral(e: Expr): boolean {
  return e.kind === 'literal' && e.value === true;
}

/** A `break` that leaves this statement (not one inside a nested loop or switch). */
function containsBreak(s: Stmt): boolean {
  switch (s.kind) {
    case 'break': return true;
    case 'block': return s.body.some(containsBreak);
    case 'checkedBlock': return s.body.body.some(containsBreak);
    case 'if': return containsBreak(s.then) || (s.else !== undefined && containsBreak(s.else));
    default: return false;
  }
}

function isAssignable(e: Expr): boolean {
  return e.kind === 'name' || e.kind === 'member' || e.kind === 'index';
}

function literalStatic(t: string): StaticType {
  switch (t) {
    case 'uint': case 'ulong': return 'long';
    default: return t;
  }
}
