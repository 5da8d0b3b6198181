/** Every policy Gatehouse knows, listed explicitly (DESIGN.md "A policy is a small module"). */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { forwardRequest } from './forward-request.js';
import { includeFragment } from './include-fragment.js';
import { returnResponse } from './return-response.js';
import { mockResponse } from './mock-response.js';
import { choose } from './choose.js';
import { setVariable } from './set-variable.js';
import { setHeader } from './set-header.js';
import { setQueryParameter } from './set-query-parameter.js';
import { rewriteUri } from './rewrite-uri.js';
import { setBackendService } from './set-backend-service.js';
import { setMethod } from './set-method.js';
import { setStatus } from './set-status.js';
import { rateLimit } from './rate-limit.js';
import { rateLimitByKey } from './rate-limit-by-key.js';
import { quota } from './quota.js';
import { quotaByKey } from './quota-by-key.js';
import { checkHeader } from './check-header.js';
import { ipFilter } from './ip-filter.js';
import { cors } from './cors.js';
import { validateJwt } from './validate-jwt.js';
import { authenticationBasic } from './authentication-basic.js';
import { sendRequest } from './send-request.js';
import { sendOneWayRequest } from './send-one-way-request.js';
import { retry } from './retry.js';
import { wait } from './wait.js';
import { limitConcurrency } from './limit-concurrency.js';
import { cacheLookup } from './cache-lookup.js';
import { cacheStore } from './cache-store.js';
import { cacheLookupValue } from './cache-lookup-value.js';
import { cacheStoreValue } from './cache-store-value.js';
import { cacheRemoveValue } from './cache-remove-value.js';

import { trace } from './trace.js';
import { emitMetric } from './emit-metric.js';
import { xslTransform } from './xsl-transform.js';
import { proxy } from './proxy.js';
import { jsonp } from './jsonp.js';
import { redirectContentUrls } from './redirect-content-urls.js';
import { validateODataRequest } from './validate-odata-request.js';

export const policyModules: readonly PolicyModule[] = [forwardRequest, includeFragment, returnResponse, mockResponse, choose, setVariable, setHeader, setQueryParameter, rewriteUri, setBackendService, setMethod, setStatus, rateLimit, rateLimitByKey, quota, quotaByKey, checkHeader, ipFilter, cors, validateJwt, authenticationBasic, sendRequest, sendOneWayRequest, retry, wait, limitConcurrency, cacheLookup, cacheStore, cacheLookupValue, cacheStoreValue, cacheRemoveValue, trace, emitMetric, xslTransform, proxy, jsonp, redirectContentUrls, validateODataRequest];

/** The registry by element name. */
export const policyRegistry: ReadonlyMap<string, PolicyModule> = new Map(policyModules.map((m) => [m.name, m]));
