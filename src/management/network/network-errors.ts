/**
 * The errors the Microsoft.Network side answers with, under the codes Azure's network resource
 * provider uses (InvalidRequestFormat, InvalidResourceReference, InUseSubnetCannotBeDeleted …),
 * in ARM's error body. Kept in one place so the virtual network and private endpoint handlers
 * word the same refusals the same way.
 */
import { ArmError, type ArmErrorDetail } from '../arm/arm-error.js';

/** 400 for a request body field of the wrong shape; the detail's target is the field path. */
export function badField(target: string, message: string): ArmError {
  return new ArmError(400, 'InvalidRequestFormat', `Cannot parse the request: '${target}' ${message}`, [
    { code: 'InvalidRequestFormat', target, message },
  ]);
}

/**
 * 400 for a body that does not match Azure's definition (the problems of arm/spec-problems.ts):
 * a fixed value Gatehouse cannot change is `UnsupportedProperty`, anything else
 * `InvalidRequestFormat` naming the property, as Azure's network provider answers.
 */
export function bodyRefusal(problems: readonly ArmErrorDetail[]): ArmError {
  const first = problems[0]!;
  if (first.code === 'UnsupportedProperty') return networkRefusal('UnsupportedProperty', first.message);
  return new ArmError(
    400,
    'InvalidRequestFormat',
    `Cannot parse the request: ${first.message}`,
    problems.map((p) => ({ ...p, code: 'InvalidRequestFormat' })),
  );
}

/** 400 for a request that is well formed but breaks a network rule. */
export function networkRefusal(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

/** 404 for a top-level network resource that does not exist, in ARM's wording. */
export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `The Resource 'Microsoft.Network/${type}/${name}' under resource group '${resourceGroup}' was not found.`);
}

/** 404 for a subnet or peering that its virtual network does not have. */
export function childNotFound(id: string): ArmError {
  return new ArmError(404, 'NotFound', `Resource ${id} not found.`);
}

/** 400 for an id in a body that names no stored resource (Azure's InvalidResourceReference). */
export function invalidReference(referenced: string, referencedBy: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${referenced} referenced by resource ${referencedBy} was not found. Please make sure that the referenced resource exists.`,
  );
}

/** 405 for a verb the network resource does not take. */
export function methodNotAllowed(method: string): ArmError {
  return new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not supported on this Microsoft.Network resource.`);
}
