/**
 * The `api-version` query parameter (reference §5): mandatory on every request. Gatehouse
 * implements the 2024-05-01 contract; older dated versions are accepted because the resource
 * shapes are compatible, newer or malformed ones are refused the way ARM refuses them.
 */
import { ArmError } from './arm-error.js';

/** The newest api-version Gatehouse implements. */
export const latestApiVersion = '2024-05-01';

const versionPattern = /^(\d{4})-(\d{2})-(\d{2})(-preview)?$/;

/** Checks the api-version value; throws ArmError 400 when missing or unsupported. */
export function checkApiVersion(value: string | null): string {
  if (value === null || value === '') {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  const m = versionPattern.exec(value);
  // Dates compare as strings in this fixed-width form; anything after our version is unknown.
  const known = m !== null && validDate(m) && value.slice(0, 10) <= latestApiVersion && !(m[4] && value.slice(0, 10) === latestApiVersion);
  if (!known) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${value}' is invalid. The supported versions are '${latestApiVersion}' and earlier dated versions.`,
    );
  }
  return value;
}

function validDate(m: RegExpExecArray): boolean {
  const month = Number(m[2]);
  const day = Number(m[3]);
  return Number(m[1]) >= 2014 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
