/**
 * A multi-line expression in an attribute keeps its line breaks, so a `//` comment ends at its
 * line, as in Azure: XML would turn the line breaks of an attribute value into spaces, and the
 * comment would then swallow the rest of the expression. Both forms policies are written in are
 * checked: raw (`"` inside the expression) and escaped (`&quot;`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPolicies } from '../helpers/policy-harness.js';

const answerWith = (setVariable: string) =>
  `<policies><inbound>${setVariable}<return-response><set-status code="200" /><set-body>@((string)context.Variables["out"])</set-body></return-response></inbound><backend /><outbound /><on-error /></policies>`;

describe('multi-line attribute expressions', () => {
  it('ends a // comment at its line (raw form)', async () => {
    const r = await runPolicies({ api: answerWith(`<set-variable name="out" value="@{
      // the greeting, with the caller's name
      var name = context.Request.Headers.GetValueOrDefault("X-Name", "you"); // default
      return "hello " + name;
    }" />`) }, { headers: { 'X-Name': 'Ada' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hello Ada');
  });

  it('ends a // comment at its line (escaped form), and keeps tabs and CRLF line ends', async () => {
    const r = await runPolicies({ api: answerWith(`<set-variable name="out" value="@{\r\n\t// first\r\n\tvar s = &quot;a&quot;; // second\r\n\treturn s + &quot;b&quot;;\r\n}" />`) });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ab');
  });
});
