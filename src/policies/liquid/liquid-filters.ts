/**
 * The Liquid filters of Azure's set-body, in "C# mode": Pascal-case names only (Microsoft's list
 * in the set-body reference: Abs, Append, AtLeast … UrlEncode), `Date` taking a .NET date format
 * string, `Currency` formatting as en-US, `H` the alias of `Escape`. A filter name not in the
 * list (`upcase`, `at_least`) leaves its input unchanged, as DotLiquid does with an unknown filter.
 */
import { filters as standard, type FilterImplOptions, type Liquid } from 'liquidjs';
import { dateFromMs, parseDate } from '../../expressions/runtime/datetime.js';
import { formatNumber } from '../../expressions/runtime/format-number.js';
import { formatLiquidDate, LiquidDate } from './liquid-values.js';

/** Azure's name → the standard Liquid filter of the same meaning. */
const renamed: Readonly<Record<string, string>> = {
  Abs: 'abs', Append: 'append', AtLeast: 'at_least', AtMost: 'at_most', Capitalize: 'capitalize',
  Compact: 'compact', Default: 'default', DividedBy: 'divided_by', Downcase: 'downcase',
  Escape: 'escape', First: 'first', H: 'escape', Join: 'join', Last: 'last', Lstrip: 'lstrip',
  Map: 'map', Minus: 'minus', Modulo: 'modulo', NewlineToBr: 'newline_to_br', Plus: 'plus',
  Prepend: 'prepend', Remove: 'remove', RemoveFirst: 'remove_first', Replace: 'replace',
  ReplaceFirst: 'replace_first', Round: 'round', Rstrip: 'rstrip', Size: 'size', Slice: 'slice',
  Sort: 'sort', Split: 'split', Strip: 'strip', StripHtml: 'strip_html',
  StripNewlines: 'strip_newlines', Times: 'times', Truncate: 'truncate',
  TruncateWords: 'truncatewords', Uniq: 'uniq', Upcase: 'upcase', UrlDecode: 'url_decode',
  UrlEncode: 'url_encode',
};

/** Every filter name a template may use (for the docs and the tests). */
export const azureFilterNames: readonly string[] = [...Object.keys(renamed), 'Currency', 'Date'].sort();

/** Replaces a Liquid instance's filters with Azure's set. */
export function installAzureFilters(liquid: Liquid): void {
  for (const name of Object.keys(liquid.filters)) delete liquid.filters[name];
  for (const [azure, name] of Object.entries(renamed)) liquid.registerFilter(azure, standard[name as keyof typeof standard] as FilterImplOptions);
  liquid.registerFilter('Date', dateFilter);
  liquid.registerFilter('Currency', currencyFilter);
}

/** `Date:"yyyy-MM-dd"`: a date (or a date string, or "now"/"today") in a .NET format string. */
function dateFilter(input: unknown, format?: unknown): unknown {
  const pattern = format === undefined || format === null ? '' : String(format);
  let date: LiquidDate | undefined;
  if (input instanceof LiquidDate) date = input;
  else if (typeof input === 'string') {
    const text = input.trim().toLowerCase();
    if (text === 'now' || text === 'today') {
      const ticks = dateFromMs(Date.now(), 'Utc').ticks;
      const ticksPerDay = 864000000000n;
      date = new LiquidDate(text === 'today' ? ticks - (ticks % ticksPerDay) : ticks, 0, 'Utc', false);
    } else {
      const parsed = parseDate(input);
      if (parsed) date = LiquidDate.fromParsed(parsed);
    }
  }
  if (!date) return input;
  return pattern === '' ? date.valueOf() : formatLiquidDate(date, pattern);
}

/** `Currency`: a number as en-US currency (`$1,234.50`, `-$1.00`). */
function currencyFilter(input: unknown): unknown {
  const value = typeof input === 'number' ? input : typeof input === 'string' && input.trim() !== '' ? Number(input) : NaN;
  if (!Number.isFinite(value)) return input;
  const text = formatNumber(Math.abs(value), 'N2', true);
  return `${value < 0 ? '-' : ''}$${text}`;
}
