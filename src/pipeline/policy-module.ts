/**
 * What a policy is: a small module that names its element, the sections and scopes it may
 * appear in, the schema of its attributes, and a `compile` function that turns one element
 * into a step (DESIGN.md "A policy is a small module").
 */
import type { GatewayContext, Scope, Section } from './gateway-context.js';
import type { XmlAttribute, XmlElement } from './xml.js';
import type { Value } from './value.js';
import type { LoggerSummary } from './compile-environment.js';
import type { Backend, Certificate, Operation } from '../model/resources.js';

export type AttributeType = 'string' | 'integer' | 'number' | 'boolean' | 'enum';

export interface AttributeSpec {
  type: AttributeType;
  required?: boolean;
  /** Default applied when the attribute is absent. */
  default?: string | number | boolean;
  /** Whether the attribute may hold a policy expression. */
  expression?: boolean;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values for `enum` (compared case-insensitively, reported as written here). */
  values?: readonly string[];
}

/** A step: runs against the request state; may be async. Throw PolicyRuntimeError to fail. */
export type PolicyStep = (gw: GatewayContext) => void | Promise<void>;

/** A compiled list of policies, run in order by the executor; a promise only when a step waits. */
export interface CompiledSequence {
  run(gw: GatewayContext): void | Promise<void>;
  readonly length: number;
}

export interface PolicyModule {
  /** The XML element name, e.g. `set-header`. */
  readonly name: string;
  /** Sections the element may appear in. */
  readonly sections: readonly Section[];
  /** Scopes the element may appear in (all when absent). */
  readonly scopes?: readonly Scope[];
  /** The attribute schema; `id` is always accepted. */
  readonly attributes: Readonly<Record<string, AttributeSpec>>;
  /** At most once per section (e.g. cors, cache-lookup). */
  readonly oncePerSection?: boolean;
  compile(element: XmlElement, ctx: PolicyCompileContext): PolicyStep;
}

/** A compile failure with the element, line and column Azure reports (reference §2.5). */
export class PolicyCompileError extends Error {
  constructor(
    readonly element: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    /** The document the error is in (file path or resource id). */
    readonly source = '',
  ) {
    super(`Error in element '${element}' on line ${line}, column ${column}: ${reason}`);
    this.name = 'PolicyCompileError';
  }
}

/** How nested policies are compiled. */
export interface ChildCompileOptions {
  /**
   * The section the children behave as in: return-response's children edit the response it
   * builds, so they compile as in `outbound` wherever return-response is. Their
   * `context.LastError.Section` stays the real one.
   */
  as?: Section;
  /** The index in the path of the first child of each name (default 1): one child of many compiled alone. */
  firstIndex?: number;
}

/** What a policy's compile function may ask of the compiler. */
export interface PolicyCompileContext {
  readonly section: Section;
  readonly scope: Scope;
  /** The operation when compiling at operation scope. */
  readonly operation?: Operation;
  /** The element's path in its section (`choose[1]`), the prefix for nested policies' paths. */
  readonly path: string;
  /** Wall-clock milliseconds one evaluation may take (`--expression-time-budget`): expressions, and set-body's Liquid templates. */
  readonly timeBudgetMs: number;

  /** Attribute value after `{{named value}}` substitution, or the schema default (as text). */
  raw(element: XmlElement, name: string): string | undefined;
  /** The typed value of an attribute declared in the element's schema (or a child's schema). */
  string(element: XmlElement, name: string, spec?: AttributeSpec): Value<string> | undefined;
  integer(element: XmlElement, name: string, spec?: AttributeSpec): Value<number> | undefined;
  number(element: XmlElement, name: string, spec?: AttributeSpec): Value<number> | undefined;
  boolean(element: XmlElement, name: string, spec?: AttributeSpec): Value<boolean> | undefined;
  /** An attribute's untyped value: literal text, or an expression's result as it is (set-variable). */
  value(element: XmlElement, name: string, spec?: AttributeSpec): Value<unknown> | undefined;
  /** The text content of an element (named values substituted), literal or expression. */
  text(element: XmlElement): Value<string>;
  /**
   * An element's content as written, child markup included (xml.ts innerXml), named values
   * substituted. With `keepUnknownReferences` a `{{name}}` naming no named value stays as it is
   * (it is a Liquid output then); otherwise it is a compile error as everywhere else.
   */
  markup(element: XmlElement, options?: { keepUnknownReferences?: boolean }): string;

  /** Compiles nested policies (choose/when, retry …) in the current section and scope. */
  compileChildren(children: readonly XmlElement[], pathPrefix: string, options?: ChildCompileOptions): CompiledSequence;
  /** Compiles the policies of a policy fragment in place (fails when it does not exist). */
  compileFragment(id: string, at: XmlElement | XmlAttribute): CompiledSequence;
  /** A backend by id, or undefined. */
  backend(id: string): Backend | undefined;
  /** A logger by name (compared case-insensitively, as Azure compares resource names), or undefined. */
  logger(id: string): LoggerSummary | undefined;
  /** A `certificates` resource by name or ARM id (case-insensitive), or undefined. */
  certificate(id: string): Certificate | undefined;
  /** The `certificates` resources of the configuration being compiled. */
  readonly certificates: readonly Certificate[];

  /** Throws a compile error located at the element (or attribute). */
  fail(at: XmlElement | XmlAttribute, reason: string): never;
  /** The element name to report for an attribute-level failure. */
  readonly currentElement: XmlElement;
}
