/**
 * A self-hosted gateway's hostname configurations (Azure's
 * `gateways/{g}/hostnameConfigurations/{h}`): the host name it answers, the certificate it
 * presents and its TLS and HTTP/2 switches. Stored for the self-hosted gateway (issue 17). A
 * `certificateId` must name a stored certificate (certificate.ts).
 */
import type { ResourceKind } from '../resource-kind.js';
import { gatewayHostnameConfigurationSchema } from '../resource-schemas.js';
import { referencedEntity } from './kind-helpers.js';

export const gatewayHostnameConfigurationKind: ResourceKind = {
  kind: 'gatewayHostnameConfiguration',
  armType: 'Microsoft.ApiManagement/service/gateways/hostnameConfigurations',
  label: 'GatewayHostnameConfiguration',
  schema: gatewayHostnameConfigurationSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, properties }) {
    const certificateId = properties.certificateId;
    if (typeof certificateId === 'string' && certificateId !== '') {
      await referencedEntity(ctx, certificateId, 'certificateId', 'certificates', 'Certificate');
    }
    return { ...properties };
  },
};
