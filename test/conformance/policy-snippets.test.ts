/**
 * Every policy document of the snippet corpus in test/fixtures (Azure's public policy snippets) goes
 * through the real compiler. Each either compiles, or fails with the stated error at the stated
 * element, line and column, for the stated reason. A change in any outcome fails this test, so
 * the list stays true as policies are added.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCsharp, csharpOracleMissing } from '../helpers/csharp-oracle.js';
import { compileSnippet, snippetFiles, snippetFolder } from './snippet-corpus.js';

interface Expected {
  outcome: string;
  why?: string;
}

const corrupt = 'the corpus file itself is not well-formed: Azure refuses it too';

const expected: Record<string, Expected> = {
  'Add correlation id to inbound request.policy.xml': { outcome: 'compiles' },
  'Authenticate using Managed Identity to access Service Bus.xml': { outcome: 'compiles' },
  'Authorize requests using external authorizer.policy.xml': { outcome: 'compiles' },
  'Backend OAuth2 Authentication With Cache.policy.xml': { outcome: 'compiles' },
  'Call out to an HTTP endpoint and cache the response.policy.xml': {
    outcome: 'representation 41:64 no whitespace between attributes. Line 41, position 64.',
    why: `${corrupt} (line 41 is a truncated expression)`,
  },
  'DELETE a from to blobStorage account.xml': { outcome: 'compiles' },
  'Encrypt data using expressions.policy.xml': { outcome: 'compiles' },
  'Extracting multiple values from xml documents.policy.xml': { outcome: 'compiles' },
  'Filter response content based on product name.policy.xml': {
    outcome: 'representation 2:5 malformed comment. Line 2, position 5.',
    why: `${corrupt} (a comment opened inside an unclosed comment)`,
  },
  'Forward gateway hostname to backend for generating correct urls in responses.policy.xml': { outcome: 'compiles' },
  'Generate Azure Relay Token.policy.xml': { outcome: 'compiles' },
  'Get OAuth2 access token from AAD and forward it to the backend.policy.xml': { outcome: 'compiles' },
  'Get X-CSRF token from SAP gateway using send request.policy.xml': { outcome: 'compiles' },
  'List all inbound headers.policy.xml': { outcome: 'compiles' },
  'Look up Key Vault certificate using Managed Service Identity and call backend.policy.xml': { outcome: 'compiles' },
  'Loopback request for service at same API Management service.xml': {
    outcome: "set-variable 15:40 ')' expected, found literal",
    why: `${corrupt} (line 15's expression was mangled into "Ocp-Apim-Subscription-Key=""","scheme="" …)`,
  },
  'PUT a file to blobStorage account.xml': {
    outcome: "send-request 51:25 'x-ms-meta-{MyMetadataName1}' is not a valid HTTP header name.",
    why: 'a blank left for the reader: `{MyMetadataName1}` stands for a metadata name to fill in, and braces cannot be in a header name (RFC 9110 token)',
  },
  'Perform basic authentication.policy.xml': { outcome: 'compiles' },
  'Query CosmosDB.policy.xml': { outcome: 'compiles' },
  'Random load balancer.policy.xml': { outcome: 'compiles' },
  'Request OAuth2 access token from SAP using AAD JWT token.xml': { outcome: 'compiles' },
  'Return HTTP 405 if the HTTP Method of the request is not defined.xml': { outcome: 'compiles' },
  'Route requests based on size.policy.xml': { outcome: 'compiles' },
  'Send request context information to the backend service.policy.xml': { outcome: 'compiles' },
  'Trigger Azure Data Factory Pipeline With Parameters.policy.xml': { outcome: 'compiles' },
  'Use custom error messages for jwt-validate policy with on-error handler.policy.xml': { outcome: 'compiles' },
  'oauth-proxy/oauth-proxy-construct-authorization-redirect-fragment.xml': { outcome: 'compiles' },
  'oauth-proxy/oauth-proxy-sign-in.xml': { outcome: 'compiles' },
  'oauth-proxy/oauth-proxy-slide-session-fragment.xml': { outcome: 'compiles' },
  'oauth-proxy/oauth-proxy-validate-token-fragment.xml': { outcome: 'compiles' },
};

describe('policy snippet corpus', () => {
  const files = snippetFiles();

  it('has the 30 documents this list accounts for', () => {
    assert.deepEqual(files, Object.keys(expected).sort());
  });

  for (const file of files) {
    const want = expected[file];
    it(`${file}: ${want?.outcome === 'compiles' ? 'compiles' : `refused (${want?.why ?? '?'})`}`, () => {
      assert.ok(want, `no expectation for ${file}`);
      assert.equal(compileSnippet(file).outcome, want.outcome);
    });
  }

  it('fails only for unbuilt policies or features, blanks left for the reader, or documents that are not well-formed', () => {
    for (const [file, want] of Object.entries(expected)) {
      if (want.outcome === 'compiles') continue;
      assert.match(want.outcome, /Unsupported policy '[a-z-]+'\.$|not supported yet\.$|^representation |'\)' expected|'[^']*\{[^']*\}' is not a valid HTTP header name\.$/, file);
      assert.ok(want.why, `${file} needs a reason`);
    }
  });
});

/**
 * The documents called corrupt above are corrupt for reasons other tools confirm, so the list
 * does not rest on Gatehouse's parser alone: the C# compiler (Mono's mcs) refuses the mangled
 * expressions, and libxml2's xmllint refuses the nested comment on the same line.
 */
describe('policy snippet corpus: what independent tools say of the corrupt documents', () => {
  const lines = (file: string, from: number, to: number) =>
    readFileSync(join(snippetFolder, file), 'utf8').split('\n').slice(from - 1, to).join('\n');
  /** The C# compiler's verdict on an expression body (`@{...}` statements or an `@(...)` expression). */
  const csharpErrors = (body: string): string[] => {
    const program = `using System; class Snippet { object Run(dynamic context) { ${body} } static void Main() {} }`;
    const compiled = compileCsharp(program);
    assert.equal(compiled.ok, false, `mcs compiled:\n${program}`);
    return [...compiled.output.matchAll(/error (CS\d+)/g)].map((m) => m[1]!);
  };
  const syntaxError = /^CS(1\d\d\d)$/;

  it("'Loopback request…' line 15: the set-variable expression is not C#", { skip: csharpOracleMissing }, () => {
    const line = lines('Loopback request for service at same API Management service.xml', 15, 15);
    const expression = /value="@\((.*)\)" \/>/.exec(line)![1]!;
    const errors = csharpErrors(`return (${expression});`);
    assert.ok(errors.some((e) => syntaxError.test(e)), `mcs gave ${errors.join(', ')}`);
  });

  it("'Call out to an HTTP endpoint…' line 41: the rewrite-uri block is truncated C#", { skip: csharpOracleMissing }, () => {
    const text = lines('Call out to an HTTP endpoint and cache the response.policy.xml', 40, 44);
    const block = /template="@\{([\s\S]*)\}"\/>/.exec(text)![1]!;
    const errors = csharpErrors(block);
    assert.ok(errors.some((e) => syntaxError.test(e)), `mcs gave ${errors.join(', ')}`);
  });

  // .ci/run installs xmllint (libxml2-utils); elsewhere the check skips without it.
  const xmllintMissing = spawnSync('sh', ['-c', 'command -v xmllint'], { stdio: 'ignore' }).status !== 0 && process.env.CI !== 'true' && 'xmllint is not installed';
  it("'Filter response content…' line 2: a comment inside a comment, which XML forbids", { skip: xmllintMissing }, () => {
    const run = spawnSync('xmllint', ['--noout', join(snippetFolder, 'Filter response content based on product name.policy.xml')], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /:2: parser error : (Double hyphen within comment|Comment not terminated)/);
  });
});
