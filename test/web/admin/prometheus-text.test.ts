/** Reading the Prometheus text the gateway's `/metrics` answers (web/admin/prometheus-text.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrometheusText } from '../../../web/admin/prometheus-text.js';

describe('Prometheus text', () => {
  it('reads names, labels and values, skipping comments and blank lines', () => {
    const text = [
      '# HELP gatehouse_requests_total Gateway requests.',
      '# TYPE gatehouse_requests_total counter',
      'gatehouse_requests_total{api="echo-api",operation="get",status="200",endpoint="public"} 3',
      '',
      'gatehouse_config_snapshot_version 1',
      'gatehouse_request_duration_seconds_bucket{le="+Inf",api="echo-api",endpoint="public"} 4',
      'process_start_time_seconds 1.7e9 1712345678000',
    ].join('\n');
    assert.deepEqual(parsePrometheusText(text), [
      { name: 'gatehouse_requests_total', labels: { api: 'echo-api', operation: 'get', status: '200', endpoint: 'public' }, value: 3 },
      { name: 'gatehouse_config_snapshot_version', labels: {}, value: 1 },
      { name: 'gatehouse_request_duration_seconds_bucket', labels: { le: '+Inf', api: 'echo-api', endpoint: 'public' }, value: 4 },
      { name: 'process_start_time_seconds', labels: {}, value: 1.7e9 },
    ]);
  });

  it('unescapes label values and reads the special values', () => {
    const [a, b, c] = parsePrometheusText('m{v="a\\"b\\\\c\\nd",w="x,}y"} +Inf\nm{} -Inf\nm NaN');
    assert.deepEqual(a, { name: 'm', labels: { v: 'a"b\\c\nd', w: 'x,}y' }, value: Infinity });
    assert.deepEqual(b, { name: 'm', labels: {}, value: -Infinity });
    assert.ok(Number.isNaN(c!.value));
  });

  it('skips lines that are not samples and keeps the rest', () => {
    const text = ['m{v="open} 1', 'm{v=1} 1', 'm{v="x" 1', '9bad 1', 'm twelve', 'm 1 2 3', 'm{v="\\q"} 1', 'ok{a="b",} 2'].join('\n');
    assert.deepEqual(parsePrometheusText(text), [{ name: 'ok', labels: { a: 'b' }, value: 2 }]);
  });
});
