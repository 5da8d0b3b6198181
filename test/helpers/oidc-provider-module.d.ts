// oidc-provider (a test dependency) ships no type declarations; the tests use a small part of it.
declare module 'oidc-provider' {
  interface ProviderInstance {
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  }
  const Provider: new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;
  export default Provider;
}
