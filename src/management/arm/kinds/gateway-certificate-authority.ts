/**
 * A self-hosted gateway's certificate authorities (Azure's
 * `gateways/{g}/certificateAuthorities/{certificateId}`, GatewayCertificateAuthorityContract):
 * the resource's name is a stored certificate's (certificate.ts), which the gateway trusts as
 * a CA for client certificates; `isTrusted` says whether it is a trusted root. Stored for the
 * self-hosted gateway (issue 17); a certificate a gateway names cannot be deleted.
 */
import { invalidField } from '../arm-error.js';
import { gatewayCertificateAuthoritySchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { certificateKind } from './certificate.js';

export const gatewayCertificateAuthorityKind: ResourceKind = {
  kind: 'gatewayCertificateAuthority',
  armType: 'Microsoft.ApiManagement/service/gateways/certificateAuthorities',
  label: 'GatewayCertificateAuthority',
  schema: gatewayCertificateAuthoritySchema,
  namePattern: certificateKind.namePattern,
  async prepare({ ctx, name, properties }) {
    // The name is the certificate's: Azure assigns an existing certificate to the gateway.
    if (!(await ctx.tx.get(`certificates/${name}`))) throw invalidField('name', `Certificate '${name}' not found.`);
    return { isTrusted: properties.isTrusted === true };
  },
};
