/**
 * Compiles one policy document (one scope) into per-section lists of steps, keeping `<base/>`
 * as a marker for the scope merge. Every check Azure does at save time happens here: sections,
 * unknown policies, section and scope rules, attribute schemas, named values, fragments.
 */
import { compileExpression, defaultLimits, ExpressionCompileError, isExpression } from '../expressions/index.js';
import type { Operation, PolicyDocument } from '../model/resources.js';
import type { CompileEnvironment } from './compile-environment.js';
import type { PolicyLocation, Scope, Section } from './gateway-context.js';
import { sections as allSections } from './gateway-context.js';
import { substituteNamedValues } from './named-values.js';
import {
  PolicyCompileError,
  type AttributeSpec,
  type CompiledSequence,
  type PolicyCompileContext,
  type PolicyStep,
} from './policy-module.js';
import { PolicySequence, type CompiledPolicy } from './policy-sequence.js';
import { constantValue, computedValue, type Value } from './value.js';
import { attribute, childElements, innerXml, parseXml, textContent, XmlSyntaxError, type XmlAttribute, type XmlElement } from './xml.js';
import { handshakeRefusal, handshakeUnsupportedPolicies } from './websocket-handshake-policies.js';
import { bufferBodiesForExpressions, evaluateExpressionValue, expressionValueText } from './expression-runtime.js';

export type SectionItem = CompiledPolicy | 'base';

/** A compiled document: for each section present, its items in order. */
export interface CompiledDocument {
  scope: Scope;
  sections: Partial<Record<Section, SectionItem[]>>;
}

/** Compiles a `<policies>` document; throws PolicyCompileError. */
export function compilePolicyDocument(
  document: PolicyDocument,
  scope: Scope,
  env: CompileEnvironment,
  operation?: Operation,
): CompiledDocument {
  let root: XmlElement;
  try {
    root = parseXml(document.xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) {
      throw new PolicyCompileError('representation', err.line, err.column, err.message, document.source);
    }
    throw err;
  }
  const compiler = new DocumentCompiler(document.source, scope, env, operation);
  return compiler.compileRoot(root);
}

class DocumentCompiler {
  /** Set while compiling a policy when one of its expressions reads a message body. */
  private expressionUsesBody = false;

  constructor(
    private readonly source: string,
    private readonly scope: Scope,
    private readonly env: CompileEnvironment,
    private readonly operation: Operation | undefined,
  ) {}

  fail(at: XmlElement | XmlAttribute, reason: string, elementName?: string): never {
    const name = elementName ?? ('kind' in at ? at.name : 'policies');
    throw new PolicyCompileError(name, at.line, at.column, reason, this.source);
  }

  compileRoot(root: XmlElement): CompiledDocument {
    if (root.name !== 'policies') this.fail(root, `Root element must be 'policies', found '${root.name}'.`);
    this.rejectText(root);
    const out: CompiledDocument = { scope: this.scope, sections: {} };
    for (const sectionElement of childElements(root)) {
      const section = sectionElement.name as Section;
      if (!allSections.includes(section)) {
        this.fail(sectionElement, `Unknown section '${sectionElement.name}'. Expected inbound, backend, outbound or on-error.`);
      }
      if (out.sections[section]) this.fail(sectionElement, `Section '${section}' appears more than once.`);
      if (sectionElement.attributes.length > 0) {
        this.fail(sectionElement.attributes[0]!, `The attribute '${sectionElement.attributes[0]!.name}' is not declared.`, section);
      }
      out.sections[section] = this.compileSection(sectionElement, section);
    }
    return out;
  }

  private compileSection(sectionElement: XmlElement, section: Section): SectionItem[] {
    this.rejectText(sectionElement);
    const items: SectionItem[] = [];
    let sawBase = false;
    const counters = new Map<string, number>();
    for (const element of childElements(sectionElement)) {
      if (element.name === 'base') {
        if (sawBase) this.fail(element, "The 'base' element may appear only once in a section.");
        if (element.attributes.length > 0 || childElements(element).length > 0) {
          this.fail(element, "The 'base' element takes no attributes or children.");
        }
        sawBase = true;
        items.push('base');
        continue;
      }
      const index = (counters.get(element.name) ?? 0) + 1;
      counters.set(element.name, index);
      if (index > 1 && this.env.policies.get(element.name)?.oncePerSection) {
        this.fail(element, `The '${element.name}' policy may appear only once in a section.`);
      }
      items.push(this.compilePolicy(element, section, `${element.name}[${index}]`, new Set()));
    }
    // A copy of exactly the right length: the list lives as long as the snapshot, and push leaves spare capacity.
    return items.slice();
  }

  /**
   * Compiles one policy element into a step with its location. `section` is the section the
   * policy behaves as in (see `compileChildren`'s `as`); `locationSection` is where it really is.
   */
  compilePolicy(
    element: XmlElement,
    section: Section,
    path: string,
    fragmentChain: Set<string>,
    locationSection: Section = section,
  ): CompiledPolicy {
    const handshakeRule = this.env.webSocketHandshake;
    if (handshakeRule && handshakeUnsupportedPolicies.has(element.name)) {
      if (handshakeRule === 'refuse') this.fail(element, handshakeRefusal(element.name));
      // Inherited by a handshake: compiled to nothing, wherever it sits (inside choose, a fragment).
      return { step: () => {}, location: { policy: element.name, scope: this.scope, section: locationSection, path } };
    }
    const module = this.env.policies.get(element.name);
    if (!module) this.fail(element, `Unsupported policy '${element.name}'.`);
    if (!module.sections.includes(section)) {
      this.fail(element, `Policy is not allowed in the '${section}' section.`);
    }
    if (module.scopes && !module.scopes.includes(this.scope)) {
      this.fail(element, `Policy is not allowed at the '${this.scope}' scope.`);
    }
    this.checkAttributes(element, module.attributes);
    const ctx = this.contextFor(element, section, path, fragmentChain, locationSection);
    let step: PolicyStep;
    const outerUsesBody = this.expressionUsesBody;
    this.expressionUsesBody = false;
    try {
      step = module.compile(element, ctx);
    } catch (err) {
      if (err instanceof PolicyCompileError) throw err;
      this.fail(element, (err as Error).message);
    }
    if (this.expressionUsesBody) {
      // Expressions read bodies synchronously; buffer a streaming body before this policy runs.
      const inner = step;
      step = async (gw) => {
        await bufferBodiesForExpressions(gw, element.name);
        return inner(gw);
      };
    }
    this.expressionUsesBody ||= outerUsesBody;
    const location: PolicyLocation = { policy: element.name, scope: this.scope, section: locationSection, path };
    const idAttribute = attribute(element, 'id');
    if (idAttribute) location.policyId = this.substitute(idAttribute.value, idAttribute, element.name);
    return { step, location };
  }

  private checkAttributes(element: XmlElement, schema: Readonly<Record<string, AttributeSpec>>): void {
    for (const attr of element.attributes) {
      if (attr.name.startsWith('xmlns')) continue;
      if (attr.name !== 'id' && !(attr.name in schema)) this.fail(attr, `The '${attr.name}' attribute is not declared.`, element.name);
      // Every referenced named value must exist, even in an attribute the policy never reads
      // (reference §2.5, §4.3); the policy substitutes again when it reads the value.
      this.substitute(attr.value, attr, element.name);
    }
    for (const [name, spec] of Object.entries(schema)) {
      if (spec.required && !attribute(element, name)) {
        this.fail(element, `The required attribute '${name}' is missing.`);
      }
    }
  }

  private rejectText(element: XmlElement): void {
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') {
        this.fail(element, `Unexpected text content in '${element.name}'.`);
      }
    }
  }

  private substitute(text: string, at: XmlElement | XmlAttribute, elementName: string): string {
    return substituteNamedValues(text, this.env.namedValues, (name) =>
      this.fail(at, `Cannot find a named value with name '${name}'.`, elementName),
    );
  }

  private contextFor(
    current: XmlElement,
    section: Section,
    path: string,
    fragmentChain: Set<string>,
    locationSection: Section,
  ): PolicyCompileContext {
    const self = this;
    const specFor = (element: XmlElement, name: string, given?: AttributeSpec): AttributeSpec => {
      if (given) return given;
      const module = self.env.policies.get(element.name);
      const spec = module?.attributes[name];
      if (!spec) throw new Error(`Policy '${element.name}' reads undeclared attribute '${name}'.`);
      return spec;
    };
    const rawText = (element: XmlElement, name: string, spec: AttributeSpec): { text: string; at: XmlElement | XmlAttribute } | undefined => {
      const attr = attribute(element, name);
      if (!attr) return spec.default === undefined ? undefined : { text: String(spec.default), at: element };
      return { text: self.substitute(attr.value, attr, element.name), at: attr };
    };
    const typed = <T>(
      element: XmlElement,
      name: string,
      given: AttributeSpec | undefined,
      convert: (text: string, fail: (reason: string) => never) => T,
    ): Value<T> | undefined => {
      const spec = specFor(element, name, given);
      const raw = rawText(element, name, spec);
      if (!raw) return undefined;
      const failHere = (reason: string): never => self.fail(raw.at, reason, element.name);
      if (isExpression(raw.text)) {
        if (!spec.expression) failHere(`The '${name}' attribute does not accept policy expressions.`);
        const compiled = self.compileExpressionAt(raw.text, raw.at, element.name);
        return computedValue((gw) => {
          const value = evaluateExpressionValue(compiled, gw, element.name);
          return convert(expressionValueText(value), (reason) => {
            throw new Error(reason);
          });
        });
      }
      return constantValue(convert(raw.text, failHere));
    };
    return {
      section,
      scope: this.scope,
      operation: this.operation,
      path,
      currentElement: current,
      timeBudgetMs: this.env.expressionLimits?.maxMilliseconds ?? defaultLimits.maxMilliseconds,
      raw(element, name) {
        const attr = attribute(element, name);
        if (!attr) {
          const spec = self.env.policies.get(element.name)?.attributes[name];
          return spec?.default === undefined ? undefined : String(spec.default);
        }
        return self.substitute(attr.value, attr, element.name);
      },
      string(element, name, spec) {
        const s = specFor(element, name, spec);
        if (s.type !== 'enum' || !s.values) return typed(element, name, spec, (text) => text);
        const allowed = s.values;
        return typed(element, name, spec, (text, fail) => {
          const match = allowed.find((v) => v.toLowerCase() === text.trim().toLowerCase());
          if (match === undefined) return fail(`The value '${text}' of attribute '${name}' is not one of: ${allowed.join(', ')}.`);
          return match;
        });
      },
      integer(element, name, spec) {
        const s = specFor(element, name, spec);
        return typed(element, name, spec, (text, fail) => {
          if (!/^[+-]?\d+$/.test(text.trim())) fail(`The value '${text}' of attribute '${name}' is not a valid integer.`);
          const n = Number(text.trim());
          checkBounds(n, name, s, fail);
          return n;
        });
      },
      number(element, name, spec) {
        const s = specFor(element, name, spec);
        return typed(element, name, spec, (text, fail) => {
          const n = Number(text.trim());
          if (text.trim() === '' || !Number.isFinite(n)) fail(`The value '${text}' of attribute '${name}' is not a valid number.`);
          checkBounds(n, name, s, fail);
          return n;
        });
      },
      boolean(element, name, spec) {
        return typed(element, name, spec, (text, fail) => {
          const t = text.trim().toLowerCase();
          if (t === 'true') return true;
          if (t === 'false') return false;
          return fail(`The value '${text}' of attribute '${name}' is not a valid boolean.`);
        });
      },
      value(element, name, spec) {
        const s = specFor(element, name, spec);
        const raw = rawText(element, name, s);
        if (!raw) return undefined;
        if (!isExpression(raw.text)) return constantValue<unknown>(raw.text);
        if (!s.expression) self.fail(raw.at, `The '${name}' attribute does not accept policy expressions.`, element.name);
        const compiled = self.compileExpressionAt(raw.text, raw.at, element.name);
        return computedValue<unknown>((gw) => evaluateExpressionValue(compiled, gw, element.name));
      },
      text(element) {
        const raw = self.substitute(textContent(element), element, element.name);
        if (isExpression(raw)) {
          const compiled = self.compileExpressionAt(raw, element, element.name);
          return computedValue((gw) => {
            const value = evaluateExpressionValue(compiled, gw, element.name);
            return expressionValueText(value);
          });
        }
        return constantValue(raw);
      },
      markup(element, options) {
        const content = innerXml(element);
        if (!options?.keepUnknownReferences) return self.substitute(content, element, element.name);
        return substituteNamedValues(content, self.env.namedValues, (_name, reference) => reference);
      },
      compileChildren(children, pathPrefix, options): CompiledSequence {
        const counters = new Map<string, number>();
        const compiled: CompiledPolicy[] = [];
        for (const child of children) {
          if (child.name === 'base') self.fail(child, "The 'base' element is only allowed directly in a section.");
          const index = (counters.get(child.name) ?? (options?.firstIndex ?? 1) - 1) + 1;
          counters.set(child.name, index);
          const as = options?.as ?? section;
          compiled.push(self.compilePolicy(child, as, `${pathPrefix}/${child.name}[${index}]`, fragmentChain, locationSection));
        }
        return new PolicySequence(compiled);
      },
      compileFragment(id, at) {
        if (fragmentChain.has(id)) self.fail(at, `Policy fragment '${id}' includes itself.`, current.name);
        const root = self.env.fragments.get(id);
        if (!root) return self.fail(at, `Policy fragment with id '${id}' could not be found.`, current.name);
        const chain = new Set(fragmentChain).add(id);
        const counters = new Map<string, number>();
        const compiled: CompiledPolicy[] = [];
        for (const child of childElements(root)) {
          if (child.name === 'base' || allSections.includes(child.name as Section)) {
            self.fail(child, `A policy fragment can't include a policy section identifier or the 'base' element.`);
          }
          const index = (counters.get(child.name) ?? 0) + 1;
          counters.set(child.name, index);
          compiled.push(self.compilePolicy(child, section, `${path}/${child.name}[${index}]`, chain, locationSection));
        }
        return new PolicySequence(compiled);
      },
      backend(id) {
        return self.env.backends.get(id);
      },
      logger(id) {
        return self.env.loggers?.get(id.toLowerCase());
      },
      certificate(id) {
        const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
        return self.env.certificates?.find((c) => c.name.toLowerCase() === name);
      },
      certificates: self.env.certificates ?? [],
      fail(at, reason): never {
        return self.fail(at, reason, 'kind' in at ? at.name : current.name);
      },
    };
  }

  private compileExpressionAt(source: string, at: XmlElement | XmlAttribute, elementName: string) {
    try {
      const compiled = compileExpression(source.trim(), { limits: this.env.expressionLimits });
      if (compiled.usesBody) this.expressionUsesBody = true;
      return compiled;
    } catch (err) {
      if (err instanceof ExpressionCompileError) this.fail(at, err.reason, elementName);
      throw err;
    }
  }
}

function checkBounds(n: number, name: string, spec: AttributeSpec, fail: (reason: string) => never): void {
  if (spec.min !== undefined && n < spec.min) fail(`The value of attribute '${name}' must be at least ${spec.min}.`);
  if (spec.max !== undefined && n > spec.max) fail(`The value of attribute '${name}' must be at most ${spec.max}.`);
}
