/**
 * A fixed `context` view for expression tests: a POST to https://contoso.example/echo/items/42
 * with headers, a JSON body, a product, a subscription, a user and a few variables, at a fixed
 * time (2024-01-02T03:04:05.678Z).
 */
import type { ContextView } from '../../src/expressions/index.js';

export const fixedNow = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

/** A new view (bodies and variables are mutable per test). */
export function fixtureContext(overrides: { body?: string | null; variables?: Record<string, unknown> } = {}): ContextView {
  const variables = new Map<string, unknown>(Object.entries(overrides.variables ?? {
    str: 'hello',
    num: 42,
    big: 5n,
    flag: true,
    json: undefined,
  }));
  if (variables.get('json') === undefined) variables.delete('json');
  let body: Buffer | null = overrides.body === null ? null : Buffer.from(overrides.body ?? '{"name":"widget","price":9.5,"tags":["a","b"],"count":3}');
  const url = {
    Scheme: 'https',
    Host: 'contoso.example',
    Port: 443,
    Path: '/echo/items/42',
    Query: [['a', '1'], ['b', 'x y'], ['a', '2']] as const,
    QueryString: '?a=1&b=x+y&a=2',
    Text: 'https://contoso.example/echo/items/42?a=1&b=x+y&a=2',
  };
  return {
    Request: {
      Method: 'POST',
      Url: url,
      OriginalUrl: { ...url, Host: 'gw.example', Text: 'https://gw.example/echo/items/42?a=1&b=x+y&a=2' },
      Headers: [
        ['Content-Type', ['application/json']],
        ['Accept', ['text/plain', 'application/json']],
        ['Authorization', ['Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyLCJhdWQiOlsiYXBpIiwid2ViIl19.sig']],
        ['X-Basic', ['Basic dXNlcjpwYXNzd29yZA==']],
      ],
      IpAddress: '10.1.2.3',
      MatchedParameters: { id: '42' },
      Body: body === null ? null : {
        read(preserve: boolean) {
          const b = body ?? Buffer.alloc(0);
          if (!preserve) body = Buffer.alloc(0);
          return b;
        },
      },
      PrivateEndpointConnection: null,
    },
    Response: { StatusCode: 200, StatusReason: 'OK', Headers: [['Content-Type', ['text/plain']]], Body: null },
    Api: {
      Id: 'echo-api', Name: 'Echo API', Path: 'echo', Revision: '1', Version: 'v1', IsCurrentRevision: true,
      ServiceUrl: { ...url, Host: 'backend.example', Port: 8080, Scheme: 'http', Path: '/base', Query: [], QueryString: '', Text: 'http://backend.example:8080/base' },
      Protocols: ['https'], SubscriptionKeyParameterNames: { Header: 'Ocp-Apim-Subscription-Key', Query: 'subscription-key' },
    },
    Operation: { Id: 'get-item', Method: 'POST', Name: 'Get item', UrlTemplate: '/items/{id}' },
    Product: {
      Id: 'starter', Name: 'Starter', ApprovalRequired: false, SubscriptionRequired: true, SubscriptionLimit: 1, State: 'Published',
      Groups: [{ Id: 'developers', Name: 'Developers' }], Apis: [{ Id: 'echo-api', Name: 'Echo API', Path: 'echo' }],
    },
    Subscription: {
      Id: 'sub1', Key: 'k1', Name: 'Sub One', PrimaryKey: 'k1', SecondaryKey: 'k2', CreatedDate: Date.UTC(2023, 5, 1), StartDate: null, EndDate: null,
    },
    User: {
      Id: 'u1', Email: 'ann@example.com', FirstName: 'Ann', LastName: 'Lee', Note: '', RegistrationDate: Date.UTC(2023, 0, 15),
      Groups: [{ Id: 'developers', Name: 'Developers' }], Identities: [{ Id: 'ann', Provider: 'Basic' }],
    },
    Variables: { has: (n) => variables.has(n), get: (n) => variables.get(n), names: () => [...variables.keys()] },
    Deployment: { GatewayId: 'managed', Region: 'West Europe', ServiceName: 'contoso' },
    RequestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    Timestamp: fixedNow - 1500,
    Elapsed: 1500,
    LastError: { Source: 'validate-jwt', Reason: 'TokenExpired', Message: 'Lifetime validation failed.', Scope: 'api', Section: 'inbound', Path: 'validate-jwt[1]', PolicyId: null },
    Tracing: false,
    now: () => fixedNow,
  };
}
