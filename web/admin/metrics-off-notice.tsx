/**
 * What a page that reads the gateway's metrics shows while they are off (`--metrics off`).
 */
export function MetricsOffNotice({ what }: { what: string }) {
  return (
    <p class="notice" role="status">
      The gateway's metrics are off, so {what} cannot be shown. Start Gatehouse with <code>--metrics on</code> (or{' '}
      <code>GATEHOUSE_METRICS=on</code>, the default) to turn them on.
    </p>
  );
}
