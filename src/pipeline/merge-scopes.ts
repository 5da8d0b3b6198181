/**
 * Merges the compiled documents of a request's scopes (global → product → API → operation)
 * into one pipeline, expanding `<base/>` into the parent scope's section (reference §2.2).
 * A missing scope behaves as `<section><base/></section>`; at global a missing backend section
 * is the default `<forward-request/>`.
 */
import type { CompiledDocument, SectionItem } from './compile-document.js';
import type { Section } from './gateway-context.js';
import { PolicySequence, type CompiledPolicy } from './policy-sequence.js';

export interface Pipeline {
  inbound: PolicySequence;
  backend: PolicySequence;
  outbound: PolicySequence;
  onError: PolicySequence;
}

/** Builds the pipeline; `chain` is ordered from global to operation (absent scopes undefined). */
export function mergeScopes(chain: ReadonlyArray<CompiledDocument | undefined>, defaultBackend: CompiledPolicy): Pipeline {
  const expand = (level: number, section: Section): CompiledPolicy[] => {
    if (level < 0) return [];
    const doc = chain[level];
    const items: SectionItem[] | undefined = doc?.sections[section];
    if (!items) {
      if (level === 0 && section === 'backend') return [defaultBackend];
      return expand(level - 1, section);
    }
    const out: CompiledPolicy[] = [];
    for (const item of items) {
      if (item === 'base') out.push(...expand(level - 1, section));
      else out.push(item);
    }
    return out;
  };
  const top = chain.length - 1;
  return {
    inbound: new PolicySequence(expand(top, 'inbound')),
    backend: new PolicySequence(expand(top, 'backend')),
    outbound: new PolicySequence(expand(top, 'outbound')),
    onError: new PolicySequence(expand(top, 'on-error')),
  };
}
