/**
 * Stored diagnostics and loggers → the DiagnosticSetting list the gateway acts on. The management
 * API checked every body (kinds/diagnostic.ts, kinds/logger.ts); a diagnostic whose logger is
 * gone (written around those checks) is left out.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import type { DiagnosticSetting, MaskMode } from '../../model/diagnostic-setting.js';
import { relativeReference } from '../arm/arm-ids.js';

type Message = { headers?: unknown; dataMasking?: { headers?: unknown; queryParams?: unknown } } | undefined;

const nameOf = (id: string): string => id.slice(id.lastIndexOf('/') + 1);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Every diagnostic of `entities` whose logger exists, service ones first. */
export function diagnosticsFromEntities(entities: readonly StoredEntity[]): DiagnosticSetting[] {
  const loggers = new Map(entities.filter((e) => e.kind === 'logger').map((e) => [e.id.toLowerCase(), e]));
  const out: DiagnosticSetting[] = [];
  for (const e of entities) {
    if (e.kind !== 'diagnostic' && e.kind !== 'apiDiagnostic') continue;
    // An API's diagnostics are the API's, whatever revision serves: those stored below the
    // current revision (`apis/a`) count, copies below another revision (`apis/a;rev=2`) do not.
    if (e.kind === 'apiDiagnostic' && e.parent.includes(';rev=')) continue;
    const logger = loggers.get(relativeReference(String(e.body.loggerId ?? '')).toLowerCase());
    if (!logger) continue;
    out.push(settingOf(e, logger));
  }
  return out.sort((a, b) => Number(a.api !== undefined) - Number(b.api !== undefined));
}

function settingOf(e: StoredEntity, logger: StoredEntity): DiagnosticSetting {
  const body = e.body;
  const frontend = (body.frontend ?? {}) as { request?: Message; response?: Message };
  const credentials = (logger.body.credentials ?? {}) as Record<string, unknown>;
  const percentage = (body.sampling as { percentage?: unknown } | undefined)?.percentage;
  const setting: DiagnosticSetting = {
    name: nameOf(e.id).toLowerCase(),
    logger: { name: nameOf(logger.id), type: String(logger.body.loggerType) },
    // Azure samples every request when no sampling is set.
    samplingPercentage: typeof percentage === 'number' ? percentage : 100,
    alwaysLogErrors: body.alwaysLog === 'allErrors',
    logClientIp: body.logClientIp === true,
    correlation: (body.httpCorrelationProtocol as DiagnosticSetting['correlation'] | undefined) ?? 'None',
    operationNameFormat: (body.operationNameFormat as DiagnosticSetting['operationNameFormat'] | undefined) ?? 'Name',
    requestHeaders: strings(frontend.request?.headers),
    responseHeaders: strings(frontend.response?.headers),
    headerMasks: masks([frontend.request?.dataMasking?.headers, frontend.response?.dataMasking?.headers]),
    queryMasks: masks([frontend.request?.dataMasking?.queryParams]),
    // Azure documents no default; Gatehouse writes information and error traces when none is set.
    verbosity: (body.verbosity as DiagnosticSetting['verbosity'] | undefined) ?? 'information',
    metrics: body.metrics === true,
  };
  if (typeof credentials.name === 'string') setting.logger.eventHub = credentials.name;
  if (e.kind === 'apiDiagnostic') setting.api = nameOf(e.parent).replace(/;rev=.*$/, '');
  return setting;
}

function masks(lists: unknown[]): Record<string, MaskMode> {
  const out: Record<string, MaskMode> = {};
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Array<{ value?: unknown; mode?: unknown }>) {
      if (typeof item.value === 'string') out[item.value.toLowerCase()] = item.mode === 'Hide' ? 'Hide' : 'Mask';
    }
  }
  return out;
}
