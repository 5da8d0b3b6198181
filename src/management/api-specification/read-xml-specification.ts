/**
 * WSDL and WADL documents → what an import needs (display name, description, service URL, API
 * type, operations, the document kept for export), for the management API's import and for
 * the configuration folder alike. Errors are SpecXmlError; the caller names the field or file.
 */
import type { Operation } from '../../model/resources.js';
import { readWadl } from '../wadl/read-wadl.js';
import { readWsdl, type WsdlSelector } from '../wsdl/read-wsdl.js';
import { SpecXmlError } from '../xml-spec/spec-xml.js';
import type { StoredSpecification } from './stored-specification.js';

/** An API read from a WSDL or WADL document. */
export interface XmlSpecificationApi {
  displayName?: string;
  description?: string;
  serviceUrl?: string;
  /** `soap` for a WSDL (pass-through), undefined (http) for a WADL. */
  type?: 'soap';
  operations: Operation[];
  specification: StoredSpecification;
}

export interface XmlSpecificationOptions {
  wsdlSelector?: WsdlSelector;
  /** Required WADL query parameters go into the URL template (`translateRequiredQueryParameters: template`). */
  requiredQueryInTemplate: boolean;
}

/** Reads a WSDL (`family: wsdl`) or WADL document; throws SpecXmlError. */
export function readXmlSpecification(family: 'wsdl' | 'wadl', text: string, options: XmlSpecificationOptions): XmlSpecificationApi {
  if (family === 'wsdl') {
    const api = readWsdl(text, options.wsdlSelector);
    return {
      displayName: api.displayName || undefined,
      description: api.description,
      serviceUrl: api.serviceUrl,
      type: 'soap',
      operations: api.operations,
      specification: { family, fileName: 'specification.wsdl', value: text },
    };
  }
  const api = readWadl(text, options.requiredQueryInTemplate);
  return { ...api, specification: { family, fileName: 'specification.wadl', value: text } };
}

/** Checks an Azure `wsdlSelector` value; returns the reason it is refused, or the selector. */
export function checkWsdlSelector(value: unknown): WsdlSelector | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return "'wsdlSelector' must be an object with 'wsdlServiceName' and 'wsdlEndpointName'.";
  const selector: WsdlSelector = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'wsdlServiceName' && key !== 'wsdlEndpointName') return `Property '${key}' is not a known property of 'wsdlSelector'.`;
    if (typeof v !== 'string') return `'wsdlSelector.${key}' must be a string.`;
    selector[key] = v;
  }
  return selector;
}

export { SpecXmlError };
