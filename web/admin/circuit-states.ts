/**
 * The backends' circuit-breaker state as the running gateway reports it in its metrics
 * (`gatehouse_backend_circuit_open` and `…_open_until_seconds`, docs/observability.md).
 */
import type { Sample } from './prometheus-text.js';

/** One backend's breaker under one rule. */
export interface CircuitState {
  rule: string;
  /** Gateway processes in which it is open (0: closed). */
  openIn: number;
  /** When it closes, while open. */
  openUntil?: Date;
}

/** The breaker states by backend name (lower-cased, as backend names compare). */
export function circuitStates(samples: readonly Sample[]): Map<string, CircuitState[]> {
  const states = new Map<string, Map<string, CircuitState>>();
  const of = (backend: string, rule: string) => {
    const key = backend.toLowerCase();
    let rules = states.get(key);
    if (!rules) states.set(key, (rules = new Map()));
    let state = rules.get(rule);
    if (!state) rules.set(rule, (state = { rule, openIn: 0 }));
    return state;
  };
  for (const s of samples) {
    const { backend, rule } = s.labels;
    if (backend === undefined || rule === undefined || !Number.isFinite(s.value)) continue;
    if (s.name === 'gatehouse_backend_circuit_open') of(backend, rule).openIn = s.value;
    else if (s.name === 'gatehouse_backend_circuit_open_until_seconds' && s.value > 0) of(backend, rule).openUntil = new Date(s.value * 1000);
  }
  return new Map([...states].map(([backend, rules]) => [backend, [...rules.values()]]));
}
