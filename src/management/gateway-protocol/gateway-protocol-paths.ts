/**
 * The self-hosted gateway protocol's paths and headers (docs/self-hosted-gateway.md, "Protocol"):
 * shared by the management side (gateway-protocol-handler.ts) and the gateway's client
 * (main/gateway-management-client.ts), which must not load the management API to know them.
 */

/** `GET`: the calling gateway's configuration. */
export const gatewayConfigurationPath = '/gateway/configuration';
/** `POST`: an instance's heartbeat. */
export const gatewayHeartbeatPath = '/gateway/heartbeat';
/** The header that carries the store version a configuration was read at (for logs and tests). */
export const configVersionHeader = 'x-gatehouse-config-version';
