/** The backends page's breaker states from the gateway's metrics (web/admin/circuit-states.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { circuitStates } from '../../../web/admin/circuit-states.js';
import { parsePrometheusText } from '../../../web/admin/prometheus-text.js';

describe('circuit states', () => {
  it('reads open, closed and when an open breaker closes, by backend name in any case', () => {
    const samples = parsePrometheusText([
      'gatehouse_backend_circuit_open{backend="Orders",rule="r1"} 2',
      'gatehouse_backend_circuit_open_until_seconds{backend="Orders",rule="r1"} 1767225605.5',
      'gatehouse_backend_circuit_open{backend="billing",rule="r"} 0',
      'gatehouse_backend_circuit_open_until_seconds{backend="billing",rule="r"} 0',
      'gatehouse_requests_total{api="a",operation="o",status="200",endpoint="public"} 1',
    ].join('\n'));
    const states = circuitStates(samples);
    assert.deepEqual(states.get('orders'), [{ rule: 'r1', openIn: 2, openUntil: new Date(1767225605500) }]);
    assert.deepEqual(states.get('billing'), [{ rule: 'r', openIn: 0 }]);
    assert.equal(states.size, 2);
  });
});
