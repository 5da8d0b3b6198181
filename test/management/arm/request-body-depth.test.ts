// The management body reader's nesting limit: depth counted in one pass over the text, brackets
// inside strings (escaped quotes included) not counted, and a body deeper than Json.NET's
// MaxDepth (64) refused with ARM's 400 InvalidRequestContent before it is parsed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { maxBodyDepth, nestingDepth, readJsonBody } from '../../../src/management/arm/request-body.js';
import { ArmError } from '../../../src/management/arm/arm-error.js';

const nested = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
const request = (text: string) => Readable.from([Buffer.from(text)]) as unknown as IncomingMessage;

describe('nestingDepth', () => {
  it('counts objects and arrays, and nothing inside strings', () => {
    assert.equal(nestingDepth('1'), 0);
    assert.equal(nestingDepth('{"a":[1,{"b":[]}]}'), 4);
    assert.equal(nestingDepth('{"a":"[[[{{{","b":"\\"[[[","c":"\\\\"}'), 1);
    assert.equal(nestingDepth(nested(5000)), 5000);
  });
});

describe('readJsonBody', () => {
  it('reads a body nested exactly to the limit', async () => {
    assert.deepEqual(Object.keys((await readJsonBody(request(nested(maxBodyDepth))))!), ['a']);
  });

  it("refuses a deeper body with 400 InvalidRequestContent naming the MaxDepth", async () => {
    await assert.rejects(readJsonBody(request(nested(maxBodyDepth + 1))), (err: unknown) => {
      assert.ok(err instanceof ArmError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'InvalidRequestContent');
      assert.match(err.message, /MaxDepth of 64/);
      return true;
    });
  });
});
