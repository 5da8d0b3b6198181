/**
 * `llm-token-limit` and `azure-openai-token-limit` (one policy under two names): limits the
 * language model tokens consumed per key value to a rate (`tokens-per-minute`, a sliding window
 * of 60 s; over it: 429) and/or a quota (`token-quota` per `token-quota-period`; over it: 403).
 *
 * The counters go through the CounterStore port, like rate-limit-by-key and quota-by-key, so
 * they are shared by the gateway's workers the same way; one counter per key value serves every
 * scope and both policy names. With `estimate-prompt-tokens="true"` (and always for a streamed
 * request, as Azure does) the prompt's tokens are counted with the model's tokenizer and
 * reserved before the backend is called: a prompt that does not fit is refused without calling
 * it. Once the answer is known, the reservation is settled to the real total (the backend's
 * `usage`, or the estimate of a streamed answer); a call over the limit still completes and the
 * limit bites on the next ones ("all succeeding requests will be blocked ... until the token
 * limit frees up again").
 */
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import { PolicyRuntimeError } from '../../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyModule } from '../../pipeline/policy-module.js';
import { RequestSlot } from '../../pipeline/request-slot.js';
import type { Value } from '../../pipeline/value.js';
import { attributeAt, readReportingName, retryAfterSeconds } from '../rate-limit.js';
import { llmExchange } from './llm-exchange.js';
import { humanizedDuration, tokenQuotaPeriod, tokenQuotaPeriods, type TokenQuotaPeriodName } from './token-quota-period.js';

const minuteMs = 60_000;

/** Where a token-limit policy reports its state. */
interface TokenReporting {
  retryAfterHeaderName: string;
  retryAfterVariableName?: string | undefined;
  remainingQuotaTokensHeaderName?: string | undefined;
  remainingQuotaTokensVariableName?: string | undefined;
  remainingTokensHeaderName?: string | undefined;
  remainingTokensVariableName?: string | undefined;
  tokensConsumedHeaderName?: string | undefined;
  tokensConsumedVariableName?: string | undefined;
}

/** A compiled token-limit element. */
export interface TokenLimitConfig {
  policy: string;
  counterKey: Value<string>;
  tokensPerMinute?: number;
  tokenQuota?: { limit: Value<number>; period: TokenQuotaPeriodName };
  estimatePromptTokens: boolean;
  reporting: TokenReporting;
}

/** What one execution reports; settled when the answer is counted, before the headers go. */
interface TokenReport {
  remainingTokens?: number;
  remainingQuotaTokens?: number;
  consumed: number;
  /** The backend answered: the consumed-tokens header is sent only then. */
  answered: boolean;
}

/** The counters this request already counted its tokens on: a second policy on one key checks without counting again. */
const countedSlot = new RequestSlot<Set<string>>('token-limit counters');

function firstToCount(gw: GatewayContext, key: string): boolean {
  const counted = gw.slot(countedSlot) ?? gw.setSlot(countedSlot, new Set());
  if (counted.has(key)) return false;
  counted.add(key);
  return true;
}

/** The 429 over tokens-per-minute: "Token limit is exceeded. Try again in N seconds." */
function tokenLimitExceeded(policy: string, reporting: TokenReporting, retryAfterMs: number): PolicyRuntimeError {
  const seconds = retryAfterSeconds(retryAfterMs);
  const message = `Token limit is exceeded. Try again in ${seconds} seconds.`;
  return new PolicyRuntimeError(policy, 'OpenAITokenLimitExceeded', message, 429, message, { [reporting.retryAfterHeaderName]: String(seconds) });
}

/** The 403 over token-quota: "Token quota is exceeded. Try again in 21 minutes and 33 seconds." */
function tokenQuotaExceeded(policy: string, reporting: TokenReporting, resetInMs: number): PolicyRuntimeError {
  const message = `Token quota is exceeded. Try again in ${humanizedDuration(resetInMs)}.`;
  return new PolicyRuntimeError(policy, 'OpenAITokenQuotaExceeded', message, 403, message, { [reporting.retryAfterHeaderName]: String(retryAfterSeconds(resetInMs)) });
}

/** Sets the report's variables (now) and registers its headers (on the final response). */
function publish(gw: GatewayContext, reporting: TokenReporting, report: TokenReport): void {
  const v = gw.variables;
  if (reporting.remainingTokensVariableName && report.remainingTokens !== undefined) v.set(reporting.remainingTokensVariableName, report.remainingTokens);
  if (reporting.remainingQuotaTokensVariableName && report.remainingQuotaTokens !== undefined) v.set(reporting.remainingQuotaTokensVariableName, report.remainingQuotaTokens);
  if (reporting.tokensConsumedVariableName) v.set(reporting.tokensConsumedVariableName, report.consumed);
}

function publishHeaders(gw: GatewayContext, reporting: TokenReporting, report: TokenReport): void {
  const { remainingTokensHeaderName, remainingQuotaTokensHeaderName, tokensConsumedHeaderName } = reporting;
  if (!remainingTokensHeaderName && !remainingQuotaTokensHeaderName && !tokensConsumedHeaderName) return;
  gw.beforeRespond.push((g) => {
    const headers = g.response.headers;
    if (remainingTokensHeaderName && report.remainingTokens !== undefined) headers.set(remainingTokensHeaderName, String(report.remainingTokens));
    if (remainingQuotaTokensHeaderName && report.remainingQuotaTokens !== undefined) headers.set(remainingQuotaTokensHeaderName, String(report.remainingQuotaTokens));
    if (tokensConsumedHeaderName && report.answered) headers.set(tokensConsumedHeaderName, String(report.consumed));
  });
}

/** Builds the step of a compiled element. */
export function tokenLimitStep(config: TokenLimitConfig) {
  const { policy, counterKey, tokensPerMinute, tokenQuota, estimatePromptTokens, reporting } = config;
  return async (gw: GatewayContext): Promise<void> => {
    const keyValue = counterKey.get(gw);
    const exchange = await llmExchange(gw, policy);
    const estimating = estimatePromptTokens || exchange.streamed;
    const prompt = estimating ? await exchange.promptTokens() : 0;
    const counters = gw.services.counters;
    const now = gw.services.clock.now();
    const report: TokenReport = { consumed: prompt, answered: false };
    publishHeaders(gw, reporting, report);

    const minuteKey = `token-limit|minute|${keyValue}`;
    const countsMinute = tokensPerMinute !== undefined && firstToCount(gw, minuteKey);
    const reservedMinute = countsMinute ? prompt : 0;
    if (tokensPerMinute !== undefined) {
      const seen = reservedMinute > 0
        ? await counters.rateLimit(minuteKey, tokensPerMinute, minuteMs, reservedMinute, now)
        : await counters.peekRateLimit(minuteKey, tokensPerMinute, minuteMs, now);
      if (!seen.allowed) {
        report.remainingTokens = 0;
        publish(gw, reporting, report);
        if (reporting.retryAfterVariableName) gw.variables.set(reporting.retryAfterVariableName, retryAfterSeconds(seen.retryAfterMs));
        if (gw.requestTrace) gw.traceStep(policy, { counterKey: keyValue, promptTokens: prompt, estimated: estimating, refused: 'tokens-per-minute', tokensPerMinute, retryAfterSeconds: retryAfterSeconds(seen.retryAfterMs) });
        throw tokenLimitExceeded(policy, reporting, seen.retryAfterMs);
      }
      report.remainingTokens = seen.remaining;
    }

    const quotaLimit = tokenQuota?.limit.get(gw);
    const period = tokenQuota ? tokenQuotaPeriod(tokenQuota.period, now) : undefined;
    const quotaKey = tokenQuota ? `token-limit|quota|${tokenQuota.period}|${keyValue}` : '';
    const countsQuota = tokenQuota !== undefined && firstToCount(gw, quotaKey);
    const reservedQuota = countsQuota ? prompt : 0;
    if (tokenQuota && period && quotaLimit !== undefined) {
      const seen = await counters.quota(quotaKey, quotaLimit, reservedQuota, period.start, period.end, now);
      if (!seen.allowed) {
        // Refused here: the tokens reserved on the minute counter are given back.
        if (reservedMinute > 0) await counters.releaseRateLimit(minuteKey, reservedMinute, now);
        report.remainingQuotaTokens = 0;
        publish(gw, reporting, report);
        if (reporting.retryAfterVariableName) gw.variables.set(reporting.retryAfterVariableName, retryAfterSeconds(seen.resetInMs));
        if (gw.requestTrace) gw.traceStep(policy, { counterKey: keyValue, promptTokens: prompt, estimated: estimating, refused: 'token-quota', tokenQuota: quotaLimit, period: tokenQuota.period });
        throw tokenQuotaExceeded(policy, reporting, seen.resetInMs);
      }
      report.remainingQuotaTokens = seen.remaining;
    }
    publish(gw, reporting, report);
    if (gw.requestTrace) {
      gw.traceStep(policy, { counterKey: keyValue, promptTokens: prompt, estimated: estimating, streamed: exchange.streamed, remainingTokens: report.remainingTokens, remainingQuotaTokens: report.remainingQuotaTokens });
    }

    exchange.onUsage(async (usage, g) => {
      report.consumed = usage.total;
      report.answered = true;
      const settledAt = g.services.clock.now();
      if (tokensPerMinute !== undefined) {
        const extra = countsMinute ? usage.total - reservedMinute : 0;
        // The call happened: what it used beyond its reservation counts whatever the limit.
        if (extra > 0) await counters.rateLimit(minuteKey, Infinity, minuteMs, extra, settledAt);
        else if (extra < 0) await counters.releaseRateLimit(minuteKey, -extra, now);
        report.remainingTokens = (await counters.peekRateLimit(minuteKey, tokensPerMinute, minuteMs, settledAt)).remaining;
      }
      if (tokenQuota && period && quotaLimit !== undefined) {
        const extra = countsQuota ? usage.total - reservedQuota : 0;
        if (extra !== 0) await counters.addToQuota(quotaKey, extra, period.start, period.end);
        report.remainingQuotaTokens = (await counters.quota(quotaKey, quotaLimit, 0, period.start, period.end, settledAt)).remaining;
      }
      publish(g, reporting, report);
      if (g.requestTrace) g.traceStep(policy, { counterKey: keyValue, promptTokens: usage.prompt, completionTokens: usage.completion, totalTokens: usage.total, estimated: usage.estimated, remainingTokens: report.remainingTokens, remainingQuotaTokens: report.remainingQuotaTokens });
    });
  };
}

const reportingNames = {
  'retry-after-header-name': { type: 'string', default: 'Retry-After' },
  'retry-after-variable-name': { type: 'string' },
  'remaining-quota-tokens-header-name': { type: 'string' },
  'remaining-quota-tokens-variable-name': { type: 'string' },
  'remaining-tokens-header-name': { type: 'string' },
  'remaining-tokens-variable-name': { type: 'string' },
  'tokens-consumed-header-name': { type: 'string' },
  'tokens-consumed-variable-name': { type: 'string' },
} as const satisfies Record<string, AttributeSpec>;

/** The token-limit policy under `name` (llm-token-limit, azure-openai-token-limit). */
export function tokenLimitPolicy(name: string): PolicyModule {
  return {
    name,
    sections: ['inbound'],
    attributes: {
      'counter-key': { type: 'string', required: true, expression: true },
      'tokens-per-minute': { type: 'integer', min: 0 },
      // Azure accepts an expression here (one that returns a long), not in tokens-per-minute.
      'token-quota': { type: 'integer', min: 0, expression: true },
      'token-quota-period': { type: 'enum', values: tokenQuotaPeriods },
      // Documented as required, yet Microsoft's own token-quota example leaves it out: false then.
      'estimate-prompt-tokens': { type: 'boolean', default: false },
      ...reportingNames,
    },
    compile(element, ctx) {
      const tokensPerMinute = ctx.integer(element, 'tokens-per-minute')?.constant;
      const quotaLimit = ctx.integer(element, 'token-quota');
      const periodText = ctx.string(element, 'token-quota-period')?.constant;
      if (quotaLimit && periodText === undefined) ctx.fail(attributeAt(element, 'token-quota'), `'token-quota' needs 'token-quota-period' on '${name}'.`);
      if (periodText !== undefined && !quotaLimit) ctx.fail(attributeAt(element, 'token-quota-period'), `'token-quota-period' needs 'token-quota' on '${name}'.`);
      if (tokensPerMinute === undefined && !quotaLimit) {
        ctx.fail(element, `Either 'tokens-per-minute' or 'token-quota' with 'token-quota-period' (or both) must be specified on '${name}'.`);
      }
      const read = (attr: keyof typeof reportingNames, kind: 'header' | 'variable') => readReportingName(element, ctx, attr, kind);
      const config: TokenLimitConfig = {
        policy: name,
        counterKey: ctx.string(element, 'counter-key')!,
        estimatePromptTokens: ctx.boolean(element, 'estimate-prompt-tokens')!.constant ?? false,
        reporting: {
          retryAfterHeaderName: read('retry-after-header-name', 'header') ?? 'Retry-After',
          retryAfterVariableName: read('retry-after-variable-name', 'variable'),
          remainingQuotaTokensHeaderName: read('remaining-quota-tokens-header-name', 'header'),
          remainingQuotaTokensVariableName: read('remaining-quota-tokens-variable-name', 'variable'),
          remainingTokensHeaderName: read('remaining-tokens-header-name', 'header'),
          remainingTokensVariableName: read('remaining-tokens-variable-name', 'variable'),
          tokensConsumedHeaderName: read('tokens-consumed-header-name', 'header'),
          tokensConsumedVariableName: read('tokens-consumed-variable-name', 'variable'),
        },
      };
      if (tokensPerMinute !== undefined) config.tokensPerMinute = tokensPerMinute;
      if (quotaLimit && periodText !== undefined) {
        const period = tokenQuotaPeriods.find((p) => p.toLowerCase() === periodText.toLowerCase())!;
        config.tokenQuota = { limit: quotaLimit, period };
      }
      return tokenLimitStep(config);
    },
  };
}
