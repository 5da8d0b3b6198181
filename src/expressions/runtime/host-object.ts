/**
 * A value from the gateway's `context` view (IRequest, IUrl, IResponse …): the view object and
 * the APIM interface it stands for. Members are resolved through host-types.ts.
 */
export class HostObject {
  constructor(
    /** Short interface name (`IUrl`, `IResponse` …). */
    readonly type: string,
    readonly target: object,
    private readonly toText: (target: object) => string = () => `Microsoft.Azure.ApiManagement.${type}`,
  ) {}
  get typeName(): string {
    return `Microsoft.Azure.ApiManagement.${this.type}`;
  }
  display(): string {
    return this.toText(this.target);
  }
}
