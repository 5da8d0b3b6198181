/**
 * The management API's resources as the console's pages read them (docs/management-api.md):
 * only the properties the pages show or send.
 */

export interface ApiProperties {
  displayName?: string;
  description?: string | null;
  path?: string;
  serviceUrl?: string | null;
  protocols?: string[];
  subscriptionRequired?: boolean;
  subscriptionKeyParameterNames?: { header?: string; query?: string } | null;
  apiRevision?: string;
  apiRevisionDescription?: string | null;
  isCurrent?: boolean;
  type?: string;
  apiVersion?: string | null;
  apiVersionSetId?: string | null;
}

export interface ApiResource {
  name: string;
  properties: ApiProperties;
}

export interface OperationResource {
  name: string;
  properties: { displayName?: string; method?: string; urlTemplate?: string; description?: string | null };
}

/** One entry of `/apis/{id}/revisions` (flat, as Azure's ApiRevisionContract). */
export interface RevisionResource {
  apiId?: string;
  apiRevision?: string;
  isCurrent?: boolean;
  description?: string | null;
  createdDateTime?: string;
}

export interface VersionSetResource {
  id?: string;
  name: string;
  properties: { displayName?: string; versioningScheme?: string; versionQueryName?: string | null; versionHeaderName?: string | null; description?: string | null };
}

export interface CircuitBreakerRuleResource {
  name?: string;
  failureCondition?: { count?: number; percentage?: number; interval?: string; statusCodeRanges?: Array<{ min?: number; max?: number }> };
  tripDuration?: string;
  acceptRetryAfter?: boolean;
}

export interface BackendResource {
  name: string;
  properties: {
    url?: string | null;
    protocol?: string | null;
    description?: string | null;
    type?: string;
    circuitBreaker?: { rules?: CircuitBreakerRuleResource[] } | null;
  };
}

/** The last segment of an ARM id or reference (`…/apiVersionSets/vs1` → `vs1`). */
export function lastSegment(id: string | null | undefined): string {
  if (!id) return '';
  const trimmed = id.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
