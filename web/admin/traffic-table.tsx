/**
 * A table of the dashboard's figures per API: requests, client and server errors, and the
 * median and 95th percentile of the request duration.
 */
import type { ApiTraffic } from './api-traffic.js';
import { ColumnHeadings } from './column-headings.js';

/** A duration in seconds as people read it: milliseconds below a second. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '–';
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
  return `${seconds.toFixed(2)} s`;
}

export function TrafficTable({ caption, rows, id }: { caption: string; rows: ApiTraffic[]; id: string }) {
  if (rows.length === 0) return <p id={id}>{caption}: no requests.</p>;
  return (
    <table id={id}>
      <caption>{caption}</caption>
      <ColumnHeadings names={['API', 'Requests', 'Client errors (4xx)', 'Server errors (5xx)', 'Latency p50', 'Latency p95']} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.api} data-api={r.api}>
            <th scope="row">{r.api === '' ? '(no API matched)' : r.api}</th>
            <td class="number">{r.requests}</td>
            <td class="number">{r.clientErrors}</td>
            <td class="number">{r.serverErrors}</td>
            <td class="number">{formatDuration(r.p50)}</td>
            <td class="number">{formatDuration(r.p95)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
