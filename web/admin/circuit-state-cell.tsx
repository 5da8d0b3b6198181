/**
 * A backend's circuit-breaker state in words: per rule, closed or open until when, as the
 * running gateway reports it; "no calls yet" before the gateway first called the backend
 * (the breaker exists from then on).
 */
import type { CircuitState } from './circuit-states.js';
import type { CircuitBreakerRuleResource } from './resources.js';

export function circuitStateText(rule: CircuitBreakerRuleResource, states: CircuitState[] | undefined): string {
  const state = states?.find((s) => s.rule === (rule.name ?? ''));
  if (!state) return 'closed (no calls yet)';
  if (state.openIn <= 0) return 'closed';
  const until = state.openUntil ? ` until ${state.openUntil.toLocaleTimeString()}` : '';
  return `open${until}${state.openIn > 1 ? ` in ${state.openIn} gateway processes` : ''}`;
}

/** The rule in short: when it trips and for how long. */
export function ruleSummary(rule: CircuitBreakerRuleResource): string {
  const f = rule.failureCondition ?? {};
  const when = [f.count !== undefined ? `${f.count} failures` : '', f.percentage !== undefined ? `${f.percentage} % failures` : ''].filter((x) => x).join(' and ');
  const statuses = (f.statusCodeRanges ?? []).map((r) => (r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`)).join(', ');
  return `${rule.name ?? ''}: ${when} in ${f.interval ?? '?'}${statuses ? ` (statuses ${statuses})` : ''}, open for ${rule.tripDuration ?? '?'}${rule.acceptRetryAfter ? ' or Retry-After' : ''}`;
}

export function CircuitStateCell({ rules, states, metricsOff }: { rules: CircuitBreakerRuleResource[]; states: CircuitState[] | undefined; metricsOff: boolean }) {
  if (rules.length === 0) return <>no circuit breaker</>;
  return (
    <ul class="plain">
      {rules.map((rule, i) => {
        const text = metricsOff ? 'unknown (metrics are off)' : circuitStateText(rule, states);
        const openUntil = metricsOff ? undefined : states?.find((s) => s.rule === (rule.name ?? '') && s.openIn > 0)?.openUntil;
        return (
          <li key={i} class={openUntil || text.startsWith('open') ? 'circuit-open' : undefined}>
            <span class="visually-hidden">{rule.name}: </span>
            {openUntil ? <time dateTime={openUntil.toISOString()}>{text}</time> : text}
          </li>
        );
      })}
    </ul>
  );
}
