/** Reading the line and column out of the management API's policy refusals (docs/management-api.md). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorPosition } from '../../../web/admin/error-position.js';

describe('policy error positions', () => {
  it('reads a compile error and an XML syntax error as the server words them', () => {
    assert.deepEqual(errorPosition("Error in element 'set-header' on line 4, column 17: The 'nam' attribute is not declared."), { line: 4, column: 17 });
    assert.deepEqual(errorPosition('unexpected close tag. Line 5, position 23.'), { line: 5, column: 23 });
  });

  it('finds nothing where no place is named, or where the place is not a position', () => {
    assert.equal(errorPosition('One or more fields contain incorrect values:'), undefined);
    assert.equal(errorPosition('Error on line 0, column 3'), undefined);
    assert.equal(errorPosition('Backend line 4'), undefined);
  });
});
