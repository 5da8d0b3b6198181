/**
 * set-body's Liquid templates, through liquidjs with Azure's filters (liquid-filters.ts):
 * parsed once when the policy is compiled (a template that does not parse is refused with its
 * line and column), rendered per request within the expressions' time budget and a memory
 * budget; set-body keeps the output within the body size a policy may write.
 */
import { Liquid, LiquidError, type Template } from 'liquidjs';
import { installAzureFilters } from './liquid-filters.js';

/** Bytes of strings and lists one render may build. Its time budget is the expressions' (`--expression-time-budget`). */
export const liquidMemoryLimitBytes = 16 * 1024 * 1024;

/** A template that does not parse: the reason, and where in the template text (1-based). */
export class LiquidSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(reason);
    this.name = 'LiquidSyntaxError';
  }
}

/** A render that failed: an exceeded budget, or an error a tag or filter raised. */
export class LiquidRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiquidRenderError';
  }
}

const engine = new Liquid({
  // DotLiquid: an unknown variable or filter renders as nothing / leaves its input.
  strictFilters: false,
  strictVariables: false,
  ownPropertyOnly: true,
  parseLimit: 1024 * 1024,
  memoryLimit: liquidMemoryLimitBytes,
});
installAzureFilters(engine);

/** A parsed template. */
export class LiquidTemplate {
  private constructor(private readonly templates: Template[]) {}

  /** Parses `text`; throws LiquidSyntaxError. */
  static parse(text: string): LiquidTemplate {
    try {
      return new LiquidTemplate(engine.parse(text));
    } catch (err) {
      if (!(err instanceof LiquidError)) throw err;
      const [line, column] = err.token ? err.token.getPosition() : [1, 1];
      return failParse(err, line, column);
    }
  }

  /** Renders with `scope` as the template's variables within `budgetMs`; throws LiquidRenderError. */
  render(scope: Record<string, unknown>, budgetMs: number): string {
    try {
      return engine.renderSync(this.templates, scope, { renderLimit: budgetMs }) as string;
    } catch (err) {
      throw new LiquidRenderError(`The Liquid template failed: ${firstLine((err as Error).message)}`);
    }
  }
}

function failParse(err: LiquidError, line: number, column: number): never {
  // liquidjs appends ", line:L, col:C" and the template excerpt; the position is reported apart.
  const reason = firstLine(err.message).replace(/, line:\d+, col:\d+$/, '');
  throw new LiquidSyntaxError(reason, line, column);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}
