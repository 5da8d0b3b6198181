/**
 * WSDL 1.1 → a SOAP pass-through API, as Azure's WSDL import builds one (`format: wsdl`,
 * `apiType: soap`): the service and port chosen by `wsdlSelector` give the binding, the port's
 * `soap:address` the service URL, and every operation of the binding becomes one operation
 * `POST /?soapAction=<action>` (Azure's own example: `/?soapAction=http://tempuri.org/
 * IFazioService/CancelOrder`, display name the operation's name, request and response
 * described by the input and output messages). See docs/soap-apis.md.
 */
import type { Operation, Representation } from '../../model/resources.js';
import { normalizeOperationName, OperationNames } from '../openapi/operation-name.js';
import { attr, childrenNamed, parseSpecXml, qname, SpecXmlError, type SpecElement } from '../xml-spec/spec-xml.js';
import { soapActionTemplate } from './soap-action-template.js';

const wsdlNs = 'http://schemas.xmlsoap.org/wsdl/';
const soap11Ns = 'http://schemas.xmlsoap.org/wsdl/soap/';
const soap12Ns = 'http://schemas.xmlsoap.org/wsdl/soap12/';
// WS-Addressing metadata namespaces that carry an explicit action on a portType input.
const addressingNs = ['http://www.w3.org/2006/05/addressing/wsdl', 'http://www.w3.org/2007/05/addressing/metadata'];

/** Azure's `wsdlSelector`: which service and which of its ports (endpoints) to import. */
export interface WsdlSelector {
  wsdlServiceName?: string;
  wsdlEndpointName?: string;
}

/** The SOAP API a WSDL describes. */
export interface WsdlApi {
  /** The service's name (Azure's display name for an imported SOAP API). */
  displayName: string;
  description?: string;
  serviceUrl?: string;
  soapVersion: '1.1' | '1.2';
  service: string;
  endpoint: string;
  operations: Operation[];
}

/** Reads a WSDL 1.1 document; throws SpecXmlError with the reason. */
export function readWsdl(text: string, selector: WsdlSelector = {}): WsdlApi {
  const root = parseSpecXml(text);
  if (root.ns === 'http://www.w3.org/ns/wsdl') throw new SpecXmlError('WSDL 2.0 documents are not supported; import a WSDL 1.1 document');
  if (root.ns !== wsdlNs || root.local !== 'definitions') throw new SpecXmlError("not a WSDL 1.1 document (the root must be 'definitions' in namespace http://schemas.xmlsoap.org/wsdl/)");
  if (childrenNamed(root, wsdlNs, 'import').length > 0) throw new SpecXmlError('wsdl:import is not supported (Azure refuses it too); merge the imported documents into one');
  const targetNs = attr(root, 'targetNamespace') ?? '';

  const { service, port } = pickPort(root, selector);
  const bindingRef = attr(port, 'binding');
  if (!bindingRef) throw new SpecXmlError(`port '${attr(port, 'name')}' has no binding`);
  const binding = namedChild(root, 'binding', qname(port, bindingRef).local);
  if (!binding) throw new SpecXmlError(`binding '${bindingRef}' of port '${attr(port, 'name')}' is not defined`);
  const soapVersion = bindingVersion(binding);
  if (!soapVersion) throw new SpecXmlError(`binding '${attr(binding, 'name')}' is not a SOAP 1.1 or SOAP 1.2 binding`);
  const soapNs = soapVersion === '1.1' ? soap11Ns : soap12Ns;
  const typeRef = attr(binding, 'type') ?? '';
  const portType = namedChild(root, 'portType', qname(binding, typeRef).local);
  if (!portType) throw new SpecXmlError(`portType '${typeRef}' of binding '${attr(binding, 'name')}' is not defined`);

  const contentType = soapVersion === '1.1' ? 'text/xml' : 'application/soap+xml';
  const names = new OperationNames();
  const actions = new Map<string, string>();
  const operations: Operation[] = [];
  for (const bound of childrenNamed(binding, wsdlNs, 'operation')) {
    const opName = attr(bound, 'name') ?? '';
    if (opName === '') throw new SpecXmlError(`binding '${attr(binding, 'name')}' has an operation without a name`);
    const abstract = childrenNamed(portType, wsdlNs, 'operation').find((o) => attr(o, 'name') === opName);
    if (!abstract) throw new SpecXmlError(`operation '${opName}' of binding '${attr(binding, 'name')}' is not in portType '${attr(portType, 'name')}'`);
    const action = soapAction(bound, soapNs) ?? defaultAction(abstract, targetNs, attr(portType, 'name') ?? '', opName);
    const other = actions.get(action);
    if (other !== undefined) {
      throw new SpecXmlError(`operations '${other}' and '${opName}' have the same SOAP action '${action}'; a request could not be routed to one of them`);
    }
    actions.set(action, opName);
    const operation: Operation = {
      name: names.take(normalizeOperationName(opName) || 'operation'),
      displayName: opName.slice(0, 300),
      method: 'POST',
      urlTemplate: soapActionTemplate(action),
      templateParameters: [],
    };
    const documentation = documentationOf(abstract);
    if (documentation) operation.description = documentation;
    const input = message(root, abstract, 'input', contentType);
    if (input) operation.request = { description: input.name, queryParameters: [], headers: [], representations: input.representations };
    const output = message(root, abstract, 'output', contentType);
    if (output) operation.responses = [{ statusCode: 200, description: output.name, representations: output.representations, headers: [] }];
    operations.push(operation);
  }
  const address = childrenNamed(port, soapNs, 'address')[0];
  const location = address ? attr(address, 'location') : undefined;
  const api: WsdlApi = {
    displayName: (attr(service, 'name') ?? '').slice(0, 300),
    soapVersion,
    service: attr(service, 'name') ?? '',
    endpoint: attr(port, 'name') ?? '',
    operations,
  };
  const description = documentationOf(service) ?? documentationOf(root);
  if (description) api.description = description;
  if (location && /^https?:\/\//i.test(location)) api.serviceUrl = location;
  return api;
}

/** The selected service and port; without a selector, the first service and its first SOAP port. */
function pickPort(root: SpecElement, selector: WsdlSelector): { service: SpecElement; port: SpecElement } {
  const services = childrenNamed(root, wsdlNs, 'service');
  if (services.length === 0) throw new SpecXmlError('the document has no service');
  let service = services[0]!;
  if (selector.wsdlServiceName !== undefined) {
    const named = services.find((s) => attr(s, 'name') === selector.wsdlServiceName);
    if (!named) throw new SpecXmlError(`service '${selector.wsdlServiceName}' is not defined (services: ${services.map((s) => attr(s, 'name')).join(', ')})`);
    service = named;
  }
  const ports = childrenNamed(service, wsdlNs, 'port');
  const soapPorts = ports.filter((p) => childrenNamed(p, [soap11Ns, soap12Ns], 'address').length > 0);
  if (selector.wsdlEndpointName !== undefined) {
    const named = ports.find((p) => attr(p, 'name') === selector.wsdlEndpointName);
    if (!named) throw new SpecXmlError(`endpoint '${selector.wsdlEndpointName}' is not a port of service '${attr(service, 'name')}' (ports: ${ports.map((p) => attr(p, 'name')).join(', ')})`);
    return { service, port: named };
  }
  const port = soapPorts[0] ?? ports[0];
  if (!port) throw new SpecXmlError(`service '${attr(service, 'name')}' has no port`);
  return { service, port };
}

function namedChild(root: SpecElement, local: string, name: string): SpecElement | undefined {
  return childrenNamed(root, wsdlNs, local).find((e) => attr(e, 'name') === name);
}

function bindingVersion(binding: SpecElement): '1.1' | '1.2' | undefined {
  if (childrenNamed(binding, soap11Ns, 'binding').length > 0) return '1.1';
  if (childrenNamed(binding, soap12Ns, 'binding').length > 0) return '1.2';
  return undefined;
}

/** `soap:operation/@soapAction` (an empty one counts as given: the client sends `SOAPAction: ""`). */
function soapAction(bound: SpecElement, soapNs: string): string | undefined {
  const op = childrenNamed(bound, soapNs, 'operation')[0];
  return op ? attr(op, 'soapAction') : undefined;
}

/**
 * Without a soapAction: the input's WS-Addressing `Action`, else the WS-Addressing default
 * action pattern `<targetNamespace>/<portType>/<input name>` (WS-Addressing 1.0 Metadata
 * §4.4.4; the input name defaults to the operation name + `Request`), which is what WCF sends.
 */
function defaultAction(abstract: SpecElement, targetNs: string, portType: string, opName: string): string {
  const input = childrenNamed(abstract, wsdlNs, 'input')[0];
  if (input) {
    for (const [name, value] of Object.entries(input.attributes)) {
      const colon = name.indexOf(':');
      if (colon !== -1 && name.slice(colon + 1) === 'Action' && addressingNs.includes(input.scope.get(name.slice(0, colon)) ?? '')) return value;
    }
  }
  const inputName = (input && attr(input, 'name')) ?? `${opName}Request`;
  const delimiter = targetNs.startsWith('urn:') ? ':' : '/';
  const base = targetNs.endsWith(delimiter) ? targetNs.slice(0, -1) : targetNs;
  return `${base}${delimiter}${portType}${delimiter}${inputName}`;
}

/** The message of an operation's input or output: its name and the element (or type) it carries. */
function message(root: SpecElement, abstract: SpecElement, which: 'input' | 'output', contentType: string): { name: string; representations: Representation[] } | undefined {
  const ref = childrenNamed(abstract, wsdlNs, which)[0];
  const messageRef = ref ? attr(ref, 'message') : undefined;
  if (!ref || !messageRef) return undefined;
  const name = qname(ref, messageRef).local;
  const msg = namedChild(root, 'message', name);
  if (!msg) throw new SpecXmlError(`message '${messageRef}' of operation '${attr(abstract, 'name')}' is not defined`);
  const part = childrenNamed(msg, wsdlNs, 'part')[0];
  const typed = part ? (attr(part, 'element') ?? attr(part, 'type')) : undefined;
  const representation: Representation = { contentType };
  if (part && typed) representation.typeName = qname(part, typed).local;
  return { name, representations: [representation] };
}

function documentationOf(element: SpecElement): string | undefined {
  const text = childrenNamed(element, wsdlNs, 'documentation')[0]?.text.trim();
  return text ? text : undefined;
}
