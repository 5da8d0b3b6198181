/**
 * A segment trie of one API's URL templates for one method (reference §1.3). Built once per
 * snapshot; a lookup walks only the branches the request's segments select, so its cost depends
 * on the path's length and not on how many operations the API has.
 *
 * Precedence [infer, documented in docs/routing.md]: the match with more literal segments wins;
 * at equal literal count a full match beats a wildcard (`/*`, `{*name}`) match; remaining ties go
 * to the first difference in the path, where literal > pattern (`{id}.json`) > parameter >
 * wildcard; then to the template with more query items; then to declaration order.
 */
import type { Operation } from '../../model/resources.js';
import type { RequestSegment } from './request-path.js';
import type { CompiledTemplate, TemplateQueryItem } from './url-template.js';

interface Terminal {
  operation: Operation;
  order: number;
  /** Names of the values captured by parameter and pattern segments, in path order. */
  captureNames: readonly string[];
  /** Name of the greedy parameter, for templates ending in a wildcard. */
  greedyName: string | undefined;
  query: readonly TemplateQueryItem[];
}

interface PatternEdge {
  regex: RegExp;
  source: string;
  node: OperationTrieNode;
}

/** The winner of a search, before its parameters are named. */
export interface TrieMatch {
  terminal: Terminal;
  captures: string[];
  greedyValue: string | undefined;
  literals: number;
  greedy: boolean;
}

/** Shared by every node and terminal with nothing in a list, so an empty list costs nothing. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * One node of the trie; see the file comment for the matching order. Built for a small heap: a
 * node with one literal child keeps it in two fields and needs a Map only from the second on,
 * and empty lists are the shared `NONE`.
 */
export class OperationTrieNode {
  /** The only literal child's key, while there is at most one. */
  private soleKey: string | undefined = undefined;
  private sole: OperationTrieNode | undefined = undefined;
  /** All literal children, once there are two or more. */
  private many: Map<string, OperationTrieNode> | undefined = undefined;
  patterns: readonly PatternEdge[] = NONE;
  param: OperationTrieNode | undefined = undefined;
  /** Templates that end at this node. */
  ends: readonly Terminal[] = NONE;
  /** Templates whose wildcard starts at this node. */
  greedy: readonly Terminal[] = NONE;

  /** The child for a literal segment key, if any. */
  literal(key: string): OperationTrieNode | undefined {
    if (this.many) return this.many.get(key);
    return this.soleKey === key ? this.sole : undefined;
  }

  /** Adds one compiled template; `order` is the operation's position in the API. */
  insert(template: CompiledTemplate, operation: Operation, order: number): void {
    let node: OperationTrieNode = this;
    let captureNames: string[] | undefined;
    let greedyName: string | undefined;
    for (const seg of template.segments) {
      switch (seg.kind) {
        case 'literal':
          node = node.literalChild(seg.key);
          break;
        case 'pattern': {
          let edge = node.patterns.find((e) => e.source === seg.source);
          if (!edge) node.patterns = node.patterns.concat((edge = { regex: seg.regex, source: seg.source, node: new OperationTrieNode() }));
          (captureNames ??= []).push(...seg.names);
          node = edge.node;
          break;
        }
        case 'param':
          node = node.param ??= new OperationTrieNode();
          (captureNames ??= []).push(seg.name);
          break;
        case 'greedy':
          greedyName = seg.name;
          break;
      }
    }
    const query = template.query.length === 0 ? NONE : template.query;
    const terminal: Terminal = { operation, order, captureNames: captureNames ? captureNames.slice() : NONE, greedyName, query };
    // concat and slice allocate exactly the length needed; spread and push leave spare capacity.
    if (greedyName === undefined) node.ends = node.ends.concat(terminal);
    else node.greedy = node.greedy.concat(terminal);
  }

  /** Orders terminals (more query items first, then declaration order) and freezes the subtree. */
  seal(): void {
    const byPrecedence = (a: Terminal, b: Terminal): number => b.query.length - a.query.length || a.order - b.order;
    if (this.ends.length > 1) this.ends = this.ends.slice().sort(byPrecedence);
    if (this.greedy.length > 1) this.greedy = this.greedy.slice().sort(byPrecedence);
    if (this.many) for (const child of this.many.values()) child.seal();
    else this.sole?.seal();
    for (const edge of this.patterns) edge.node.seal();
    this.param?.seal();
    Object.freeze(this.ends);
    Object.freeze(this.greedy);
    Object.freeze(this.patterns);
    Object.freeze(this);
  }

  private literalChild(key: string): OperationTrieNode {
    const found = this.literal(key);
    if (found) return found;
    const next = new OperationTrieNode();
    if (this.many) this.many.set(key, next);
    else if (this.sole === undefined) {
      this.soleKey = key;
      this.sole = next;
    } else {
      this.many = new Map([[this.soleKey!, this.sole], [key, next]]);
      this.soleKey = undefined;
      this.sole = undefined;
    }
    return next;
  }
}

/** The mutable state of one search; several tries (exact method, `*`) may share it. */
export class TrieSearch {
  best: TrieMatch | undefined;
  private readonly captures: string[] = [];

  constructor(
    private readonly segments: readonly RequestSegment[],
    private readonly from: number,
    private readonly query: ReadonlyArray<readonly [string, string]>,
  ) {}

  /** Searches one trie; a later trie replaces the best match only when strictly better. */
  run(root: OperationTrieNode): void {
    this.visit(root, this.from, 0);
  }

  private visit(node: OperationTrieNode, i: number, literals: number): void {
    const segments = this.segments;
    if (!this.canBeat(literals + segments.length - i)) return;
    if (i === segments.length) {
      const t = node.ends.find((e) => this.queryMatches(e.query));
      if (t) this.consider(t, literals, false, undefined);
    } else {
      const seg = segments[i]!;
      const lit = node.literal(seg.key);
      if (lit) this.visit(lit, i + 1, literals + 1);
      for (const edge of node.patterns) {
        const m = edge.regex.exec(seg.decoded);
        if (!m) continue;
        const before = this.captures.length;
        for (let k = 1; k < m.length; k++) this.captures.push(m[k]!);
        this.visit(edge.node, i + 1, literals);
        this.captures.length = before;
      }
      // A parameter stands for one non-empty segment.
      if (node.param && seg.decoded !== '') {
        this.captures.push(seg.decoded);
        this.visit(node.param, i + 1, literals);
        this.captures.pop();
      }
    }
    if (node.greedy.length > 0) {
      const t = node.greedy.find((e) => this.queryMatches(e.query));
      if (t) this.consider(t, literals, true, i);
    }
  }

  /** Whether a match with up to `maxLiterals` literal segments could still replace the best. */
  private canBeat(maxLiterals: number): boolean {
    const best = this.best;
    if (!best) return true;
    return maxLiterals > best.literals || (maxLiterals === best.literals && best.greedy);
  }

  private consider(terminal: Terminal, literals: number, greedy: boolean, restFrom: number | undefined): void {
    const best = this.best;
    if (best && !(literals > best.literals || (literals === best.literals && best.greedy && !greedy))) return;
    const greedyValue =
      restFrom === undefined
        ? undefined
        : this.segments
            .slice(restFrom)
            .map((s) => s.decoded)
            .join('/');
    this.best = { terminal, captures: this.captures.slice(), greedyValue, literals, greedy };
  }

  private queryMatches(items: readonly TemplateQueryItem[]): boolean {
    for (const item of items) {
      const value = firstQueryValue(this.query, item.name);
      if (value === undefined) return false;
      if (item.literal !== undefined && value !== item.literal) return false;
    }
    return true;
  }
}

/** The first value of a query parameter (names compare exactly). */
export function firstQueryValue(query: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  for (const [k, v] of query) if (k === name) return v;
  return undefined;
}
