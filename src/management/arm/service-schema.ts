/**
 * The `properties` of a PATCH of the service resource itself (reference §5.2), in the
 * hand-written schema language of property-schema.ts: the service's definition
 * (ApiManagementServiceUpdateParameters, in Azure's apimanagement.json) is not among the
 * definitions brought into azure-spec/ yet, so this kind has not moved to spec-validator.ts.
 */
import type { PropertiesSchema } from './property-schema.js';

const str = (extra: Partial<{ required: boolean; maxLength: number; enum: readonly string[] }> = {}): PropertiesSchema['fields'][string] => ({ type: 'string', ...extra });
const bool: PropertiesSchema['fields'][string] = { type: 'boolean' };
const anyValue: PropertiesSchema['fields'][string] = { type: 'any' };

/** The service PATCH schema. */
export const serviceSchema: PropertiesSchema = {
  fields: {
    publisherEmail: str({ maxLength: 100 }),
    publisherName: str({ maxLength: 100 }),
    notificationSenderEmail: str({ maxLength: 100 }),
    customProperties: { type: 'object', additional: str() },
    // Checked by service-network-rules.ts, which answers a bad value with the spec's own wording.
    publicNetworkAccess: str(),
    virtualNetworkType: str({ enum: ['None', 'External', 'Internal'] }),
    // `vnetid` and `subnetname` are read-only: accepted when a GET body is sent back, then dropped.
    virtualNetworkConfiguration: {
      type: 'object',
      nullable: true,
      properties: { subnetResourceId: str({ required: true, maxLength: 1000 }), vnetid: anyValue, subnetname: anyValue },
    },
    disableGateway: bool,
  },
};
