/**
 * The revisions of one API (resource names `echo-api`, `echo-api;rev=2`, …), reference §1.2.4:
 * without `;rev=N` the current revision answers; `;rev=N` picks that revision; an offline
 * revision is "inaccessible to callers even if they try to access the revision through its URL".
 */
import type { Api } from '../../model/resources.js';
import { OperationIndex } from './operation-index.js';
import { RoutingConfigError } from './routing-config-error.js';

/** An API revision with its operation index. */
export interface RoutableApi {
  api: Api;
  operations: OperationIndex;
}

/** All revisions of one API. */
export class RevisionGroup {
  private constructor(
    /** The API name without `;rev=N`. */
    readonly baseName: string,
    /** The current revision, or the first one when none is current; its properties describe the API. */
    readonly representative: Api,
    private readonly current: RoutableApi | undefined,
    private readonly byRevision: ReadonlyMap<string, RoutableApi>,
  ) {
    Object.freeze(this);
  }

  /** Indexes the revisions of one API; two current revisions or a repeated number is an error. */
  static build(baseName: string, revisions: readonly Api[]): RevisionGroup {
    const byRevision = new Map<string, RoutableApi>();
    let current: RoutableApi | undefined;
    for (const api of revisions) {
      const routable: RoutableApi = Object.freeze({ api, operations: OperationIndex.build(api) });
      if (byRevision.has(api.apiRevision)) {
        throw new RoutingConfigError(`API '${baseName}' has revision '${api.apiRevision}' twice`);
      }
      byRevision.set(api.apiRevision, routable);
      if (api.isCurrent) {
        if (current) throw new RoutingConfigError(`API '${baseName}' has more than one current revision`);
        current = routable;
      }
    }
    const representative = current?.api ?? revisions[0]!;
    return new RevisionGroup(baseName, representative, current, byRevision);
  }

  /** The revision a request addresses (`rev` from `;rev=N`, undefined for the current one). */
  pick(rev: string | undefined): RoutableApi | undefined {
    const found = rev === undefined ? this.current : this.byRevision.get(rev);
    return found && found.api.isOnline ? found : undefined;
  }
}
