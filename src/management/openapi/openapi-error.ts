/** A specification that cannot be turned into operations; the caller adds the file name. */
export class OpenApiError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OpenApiError';
  }
}
