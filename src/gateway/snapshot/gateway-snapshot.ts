/**
 * A gateway snapshot: everything a request needs, prepared ahead of time and never changed
 * afterwards (DESIGN.md "Compile once, run many"). Pipelines per (product, API, operation) are
 * spliced from documents compiled at build time, on first use, and kept.
 */
import type { NetworkSettings } from '../../model/network.js';
import type { Api, Operation, Product } from '../../model/resources.js';
import type { CompiledDocument } from '../../pipeline/compile-document.js';
import { isWebSocketApiType } from '../../model/api-type.js';
import type { RuntimeCatalog } from '../../pipeline/gateway-context.js';
import { mergeScopes, type Pipeline } from '../../pipeline/merge-scopes.js';
import type { CompiledPolicy } from '../../pipeline/policy-sequence.js';
import type { RouteTable } from '../routing/route-table.js';
import type { SubscriptionIndex } from '../subscriptions/subscription-index.js';
import type { CrossDomainFiles } from './cross-domain-files.js';

export interface CompiledScopes {
  global: CompiledDocument | undefined;
  products: ReadonlyMap<string, CompiledDocument>;
  apis: ReadonlyMap<string, CompiledDocument>;
  /** Key: `${apiName}\u0000${operationName}`. */
  operations: ReadonlyMap<string, CompiledDocument>;
  defaultBackend: CompiledPolicy;
  /** The global and product documents as a WebSocket handshake inherits them (set when there is a WebSocket API). */
  handshake?: { global: CompiledDocument | undefined; products: ReadonlyMap<string, CompiledDocument> };
}

export class GatewaySnapshot {
  /** API → operation → product name ('' without product) → pipeline, keyed by the snapshot's own objects. */
  private readonly pipelines = new Map<Api, Map<Operation, Map<string, Pipeline>>>();
  /** Pipelines for requests that matched no operation, by API name ('' for no API). */
  private readonly missPipelines = new Map<string, Pipeline>();

  constructor(
    readonly version: number,
    readonly routes: RouteTable,
    readonly subscriptions: SubscriptionIndex,
    readonly catalog: RuntimeCatalog,
    private readonly scopes: CompiledScopes,
    /** The service's network settings: the request handler checks `publicNetworkAccess` (reference §6.3). */
    readonly network: NetworkSettings,
    /** What the global `cross-domain` policy serves at the gateway root (answer-cross-domain.ts). */
    readonly crossDomain: CrossDomainFiles = new Map(),
  ) {}

  /** The pipeline of a request that matched no operation: global and (when known) API scopes. */
  errorPipelineFor(api: Api | null): Pipeline {
    const key = api?.name ?? '';
    let pipeline = this.missPipelines.get(key);
    if (!pipeline) {
      const inherited = this.inheritedScopes(api);
      pipeline = mergeScopes([inherited.global, undefined, api ? this.scopes.apis.get(api.name) : undefined, undefined], this.scopes.defaultBackend);
      this.missPipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** The merged pipeline for a request context. */
  pipelineFor(api: Api, operation: Operation, product: Product | null): Pipeline {
    // Looked up by object identity: no key string is built per request.
    let byOperation = this.pipelines.get(api);
    if (!byOperation) this.pipelines.set(api, (byOperation = new Map()));
    let byProduct = byOperation.get(operation);
    if (!byProduct) byOperation.set(operation, (byProduct = new Map()));
    const productName = product?.name ?? '';
    let pipeline = byProduct.get(productName);
    if (!pipeline) {
      const inherited = this.inheritedScopes(api);
      pipeline = mergeScopes(
        [
          inherited.global,
          product ? inherited.products.get(product.name) : undefined,
          this.scopes.apis.get(api.name),
          this.scopes.operations.get(`${api.name}\u0000${operation.name}`),
        ],
        this.scopes.defaultBackend,
      );
      byProduct.set(productName, pipeline);
    }
    return pipeline;
  }

  /** The global and product documents an API's requests inherit: a WebSocket API's without the policies onHandshake does not run. */
  private inheritedScopes(api: Api | null): Pick<CompiledScopes, 'global' | 'products'> {
    return (api && isWebSocketApiType(api.type) && this.scopes.handshake) || this.scopes;
  }
}
