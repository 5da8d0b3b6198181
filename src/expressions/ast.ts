/**
 * The syntax tree of policy expressions: every node has the offset of its first character in
 * the expression text, for diagnostics. The checker annotates some nodes (see `Annotations`).
 */

export interface TypeRef {
  /** Dotted name as written (`int`, `List`, `Newtonsoft.Json.Linq.JObject`). */
  name: string;
  args: TypeRef[];
  /** Array ranks, e.g. 1 for `string[]`. */
  arrayRank: number;
  nullable: boolean;
  offset: number;
  /** A tuple type `(int code, string)`: element names (name is `ValueTuple`, args the element types). */
  tupleNames?: Array<string | undefined>;
}

export interface Argument {
  name?: string;
  /** `out`/`ref` modifier. */
  modifier?: 'out' | 'ref' | 'in';
  /** `out var x` / `out int x`: declares a local. */
  declare?: { type: TypeRef | 'var'; name: string };
  value: Expr;
}

export type InterpolationPart = string | { expr: Expr; alignment?: Expr; format?: string };

export type Expr =
  | { kind: 'literal'; value: unknown; literalType: string; offset: number }
  | { kind: 'name'; name: string; typeArgs?: TypeRef[]; offset: number }
  | { kind: 'member'; target: Expr; name: string; typeArgs?: TypeRef[]; conditional: boolean; offset: number }
  | { kind: 'call'; callee: Expr; args: Argument[]; offset: number }
  | { kind: 'index'; target: Expr; args: Expr[]; conditional: boolean; offset: number }
  | { kind: 'unary'; op: string; operand: Expr; offset: number }
  | { kind: 'postfix'; op: '++' | '--'; operand: Expr; offset: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; offset: number }
  | { kind: 'assign'; op: string; target: Expr; value: Expr; offset: number }
  | { kind: 'conditional'; test: Expr; then: Expr; else: Expr; offset: number }
  | { kind: 'cast'; type: TypeRef; operand: Expr; offset: number; fromObject?: boolean }
  | { kind: 'is'; operand: Expr; type: TypeRef; declare?: string; offset: number }
  | { kind: 'isConst'; operand: Expr; value: Expr; offset: number }
  | { kind: 'as'; operand: Expr; type: TypeRef; offset: number }
  | {
      kind: 'lambda';
      params: Array<{ name: string; type?: TypeRef }>;
      body: Expr | Block;
      offset: number;
      /** A local function's declared return type (its results are converted to it); `void`: none. */
      returnType?: TypeRef | 'void';
    }
  | { kind: 'new'; type: TypeRef; args: Argument[]; init?: Initializer; offset: number }
  | { kind: 'newArray'; elementType?: TypeRef; rank: number; size?: Expr; items?: Expr[]; offset: number }
  | { kind: 'tuple'; items: Array<{ name?: string; value: Expr }>; offset: number }
  | { kind: 'newAnonymous'; members: Array<{ name: string; value: Expr }>; offset: number }
  | { kind: 'interpolated'; parts: InterpolationPart[]; offset: number }
  | { kind: 'typeof'; type: TypeRef; offset: number }
  | { kind: 'default'; type?: TypeRef; offset: number }
  | { kind: 'checked'; checked: boolean; operand: Expr; offset: number }
  | { kind: 'throw'; value: Expr; offset: number }
  | { kind: 'nameof'; name: string; offset: number }
  | { kind: 'typeName'; type: TypeRef; offset: number };

/** `{ a, b }` (collection) or `{ [k] = v, Prop = v }` (object) after `new T(...)`. */
export type Initializer =
  | { kind: 'collection'; items: Expr[][] }
  | { kind: 'object'; members: Array<{ name?: string; index?: Expr[]; value: Expr }> };

export type Stmt =
  | Block
  | {
      kind: 'local';
      type: TypeRef | 'var';
      vars: Array<{ name: string; init?: Expr; offset: number }>;
      offset: number;
      using?: boolean;
      /** A local function (`int Twice(int x) => x * 2;`): its one var holds the function as a lambda; declared before the block's other statements run. */
      localFunction?: boolean;
    }
  | { kind: 'expr'; expr: Expr; offset: number }
  /** `var (a, b) = t;` / `(int a, var b) = t;`: declares one local per element of a tuple. */
  | { kind: 'deconstruct'; targets: Array<{ name: string; type: TypeRef | 'var'; offset: number }>; value: Expr; offset: number }
  | { kind: 'if'; test: Expr; then: Stmt; else?: Stmt; offset: number }
  | { kind: 'return'; value?: Expr; offset: number }
  | { kind: 'foreach'; type: TypeRef | 'var'; name: string; collection: Expr; body: Stmt; offset: number }
  | { kind: 'for'; init: Stmt[]; test?: Expr; update: Expr[]; body: Stmt; offset: number }
  | { kind: 'while'; test: Expr; body: Stmt; offset: number }
  | { kind: 'do'; body: Stmt; test: Expr; offset: number }
  | { kind: 'break'; offset: number }
  | { kind: 'continue'; offset: number }
  | { kind: 'switch'; value: Expr; sections: Array<{ labels: Array<Expr | 'default'>; body: Stmt[] }>; offset: number }
  | { kind: 'throw'; value?: Expr; offset: number }
  | { kind: 'checkedBlock'; checked: boolean; body: Block; offset: number }
  | { kind: 'try'; body: Block; catches: Array<{ type?: TypeRef; name?: string; body: Block; offset: number }>; finally?: Block; offset: number }
  | { kind: 'empty'; offset: number };

export interface Block {
  kind: 'block';
  body: Stmt[];
  offset: number;
}

/** A whole expression: `@(…)` is a single expression, `@{…}` a block. */
export type Program = { kind: 'expression'; expr: Expr } | { kind: 'block'; block: Block };
