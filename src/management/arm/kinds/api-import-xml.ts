/**
 * The WSDL and WADL formats of an API import (reference §5.2 "Import"): `wsdl` / `wsdl-link`
 * create a SOAP pass-through API (with `wsdlSelector` naming the service and endpoint),
 * `wadl-xml` / `wadl-link-json` an HTTP API. Errors are Azure's 400 on `value`.
 */
import { checkWsdlSelector, readXmlSpecification, SpecXmlError } from '../../api-specification/read-xml-specification.js';
import { invalidField } from '../arm-error.js';
import type { ImportedApi } from './api-import.js';

const families: Record<string, { family: 'wsdl' | 'wadl'; link: boolean }> = {
  wsdl: { family: 'wsdl', link: false },
  'wsdl-link': { family: 'wsdl', link: true },
  'wadl-xml': { family: 'wadl', link: false },
  'wadl-link-json': { family: 'wadl', link: true },
};

/** The family of an import format (lower case) when it is a WSDL or WADL one. */
export function xmlImportFamily(format: string): { family: 'wsdl' | 'wadl'; link: boolean } | undefined {
  return Object.hasOwn(families, format) ? families[format] : undefined;
}

/** Reads a WSDL or WADL document of an import request; throws ArmError 400. */
export function importXmlSpecification(family: 'wsdl' | 'wadl', text: string, given: { translateRequiredQueryParameters: unknown; wsdlSelector: unknown }): ImportedApi {
  const selector = checkWsdlSelector(given.wsdlSelector);
  if (typeof selector === 'string') throw invalidField('wsdlSelector', selector);
  try {
    return readXmlSpecification(family, text, { wsdlSelector: selector, requiredQueryInTemplate: given.translateRequiredQueryParameters !== 'query' });
  } catch (err) {
    if (err instanceof SpecXmlError) throw invalidField('value', `Parsing error(s): ${err.reason}`);
    throw err;
  }
}
