/** The chains of loggers, diagnostics and tags (and their links), for the kind registry. */
import type { ResourceKind } from '../resource-kind.js';
import { apiDiagnosticKind, serviceDiagnosticKind } from './diagnostic.js';
import { loggerKind } from './logger.js';
import { apiTagKind, operationTagKind, productTagKind, tagKind } from './tag.js';

/** `[chain, kind]` pairs, in the registry's format. */
export const observabilityChains: ReadonlyArray<readonly [string, ResourceKind]> = [
  ['loggers', loggerKind],
  ['diagnostics', serviceDiagnosticKind],
  ['apis/diagnostics', apiDiagnosticKind],
  ['tags', tagKind],
  ['apis/tags', apiTagKind],
  ['products/tags', productTagKind],
  ['apis/operations/tags', operationTagKind],
];
