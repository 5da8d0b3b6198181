/**
 * The `api-version` of Microsoft.Network requests. The network resource provider versions
 * independently of API Management (2023-09-01, 2024-05-01 …) and the shapes Gatehouse serves
 * have not changed across them, so any well-formed dated version is accepted. Missing is the
 * same error as for API Management requests; malformed is ARM's InvalidApiVersionParameter.
 */
import { checkApiVersion } from '../arm/api-version.js';
import { ArmError } from '../arm/arm-error.js';

const versionPattern = /^(\d{4}-\d{2}-\d{2})(-preview)?$/;

/** Checks the api-version of a Microsoft.Network request; throws ArmError 400 when missing or malformed. */
export function checkNetworkApiVersion(value: string | null): string {
  // The API Management check owns the "missing" wording; reuse it so both answer alike.
  if (value === null || value === '') return checkApiVersion(value);
  const m = versionPattern.exec(value);
  if (!m || !isCalendarDate(m[1]!)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${value}' is invalid. The supported versions for resource provider 'Microsoft.Network' are dated versions such as '2024-05-01'.`,
    );
  }
  return value;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
