/** `gatehouse trace`'s readable form: sections in order, one line per step with its elapsed time, data as indented lines. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTrace } from '../../src/main/trace-text.js';

describe('gatehouse trace text', () => {
  it('prints sections in order, steps with elapsed and source, headers as on the wire', () => {
    const lines = formatTrace({
      traceId: 't',
      traceEntries: {
        outbound: [{ source: 'transfer-response', timestamp: 'x', elapsed: '00:00:00.0300000', data: { message: 'Response has been sent to the caller in full' } }],
        inbound: [
          { source: 'api-inspector', timestamp: 'x', elapsed: '00:00:00.0000100', data: { request: { method: 'GET', headers: [{ name: 'Accept', value: '*/*' }] } } },
          { source: 'set-status', timestamp: 'x', elapsed: '00:00:00.0010000', data: { message: ['code set', 'reason set'] } },
          { source: 'cors', timestamp: 'x', elapsed: '00:00:00.0020000', data: 'CORS policy was not applied.' },
          { source: 'api-inspector', timestamp: 'x', elapsed: '00:00:00.0030000', data: { query: {}, headers: [] } },
        ],
      },
    });
    assert.deepEqual(lines, [
      '',
      'inbound',
      '  00:00:00.0000100  api-inspector',
      '      request:',
      '        method: GET',
      '        headers:',
      '          Accept: */*',
      '  00:00:00.0010000  set-status',
      '      message:',
      '        - code set',
      '        - reason set',
      '  00:00:00.0020000  cors',
      '      CORS policy was not applied.',
      '  00:00:00.0030000  api-inspector',
      '      query: {}',
      '      headers: []',
      '',
      'outbound',
      '  00:00:00.0300000  transfer-response',
      '      message: Response has been sent to the caller in full',
    ]);
  });
});
