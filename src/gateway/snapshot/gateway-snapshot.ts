/**
 * A gateway snapshot: everything a request needs, prepared ahead of time and never changed
 * afterwards (DESIGN.md "Compile once, run many"). Pipelines per (product, API, operation) are
 * spliced from documents compiled at build time, on first use, and kept.
 */
import type { Api, Operation, Product } from '../../model/resources.js';
import type { CompiledDocument } from '../../pipeline/compile-document.js';
import type { RuntimeCatalog } from '../../pipeline/gateway-context.js';
import { mergeScopes, type Pipeline } from '../../pipeline/merge-scopes.js';
import type { CompiledPolicy } from '../../pipeline/policy-sequence.js';
import type { RouteTable } from '../routing/route-table.js';
import type { SubscriptionIndex } from '../subscriptions/subscription-index.js';

export interface CompiledScopes {
  global: CompiledDocument | undefined;
  products: ReadonlyMap<string, CompiledDocument>;
  apis: ReadonlyMap<string, CompiledDocument>;
  /** Key: `${apiName}\u0000${operationName}`. */
  operations: ReadonlyMap<string, CompiledDocument>;
  defaultBackend: CompiledPolicy;
}

export class GatewaySnapshot {
  private readonly pipelines = new Map<string, Pipeline>();

  constructor(
    readonly version: number,
    readonly routes: RouteTable,
    readonly subscriptions: SubscriptionIndex,
    readonly catalog: RuntimeCatalog,
    private readonly scopes: CompiledScopes,
  ) {}

  /** The merged pipeline for a request context. */
  pipelineFor(api: Api, operation: Operation, product: Product | null): Pipeline {
    const key = `${product?.name ?? ''}\u0000${api.name}\u0000${operation.name}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = mergeScopes(
        [
          this.scopes.global,
          product ? this.scopes.products.get(product.name) : undefined,
          this.scopes.apis.get(api.name),
          this.scopes.operations.get(`${api.name}\u0000${operation.name}`),
        ],
        this.scopes.defaultBackend,
      );
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }
}
