/**
 * Splits a management URL path into the service it names and the resource segments below it
 * (reference §5): `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}/…`.
 * The literal segments compare case-insensitively, as ARM's do; the service name must be the
 * one Gatehouse hosts.
 */
import { ArmError } from './arm-error.js';
import type { ServicePath } from './arm-ids.js';

export interface ParsedArmPath {
  service: ServicePath;
  /** Decoded segments below the service. */
  segments: string[];
}

/** The decoded, non-empty segments of a management URL path; throws ArmError 400 for a bad encoding. */
export function decodePathSegments(pathname: string): string[] {
  try {
    const parts = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    // An encoded slash would split a name into two store path segments.
    if (parts.some((p) => p.includes('/') || p.trim() === '')) throw new Error('bad segment');
    return parts;
  } catch {
    throw new ArmError(400, 'InvalidRequestUri', `The request URI '${pathname}' is not valid.`);
  }
}

/** Parses a request path; throws ArmError 404 for paths outside the hosted service. */
export function parseArmPath(pathname: string, hostedService: string): ParsedArmPath {
  const parts = decodePathSegments(pathname);
  const literal = (i: number, text: string): boolean => parts[i]?.toLowerCase() === text.toLowerCase();
  if (!(literal(0, 'subscriptions') && literal(2, 'resourceGroups') && literal(4, 'providers') && literal(5, 'Microsoft.ApiManagement') && literal(6, 'service')) || parts.length < 8) {
    throw new ArmError(404, 'NotFound', `The requested resource '${pathname}' was not found.`);
  }
  const serviceName = parts[7]!;
  if (serviceName.toLowerCase() !== hostedService.toLowerCase()) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ApiManagement/service/${serviceName}' under resource group '${parts[3]}' was not found.`,
    );
  }
  return {
    service: { subscriptionId: parts[1]!, resourceGroup: parts[3]!, serviceName: hostedService },
    segments: parts.slice(8),
  };
}
