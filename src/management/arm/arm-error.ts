/**
 * ARM error bodies (reference §5.3): `{ "error": { "code", "message", "details" } }`, where the
 * code is a sub-status of the HTTP status and `details` lists the invalid fields of a request.
 */

/** One invalid field of a request. */
export interface ArmErrorDetail {
  code: string;
  target: string;
  message: string;
}

/** An error the management API answers with; thrown anywhere below the handler. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ArmErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ArmError';
  }

  /** The JSON body ARM sends. */
  body(): { error: { code: string; message: string; details?: ArmErrorDetail[] } } {
    const error: { code: string; message: string; details?: ArmErrorDetail[] } = { code: this.code, message: this.message };
    if (this.details.length > 0) error.details = this.details;
    return { error };
  }
}

/** 404 in APIM's style: `Api not found.` */
export function notFound(label: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `${label} not found.`);
}

/** 400 ValidationError with one detail per invalid field (reference §2.5, §5.3). */
export function validationError(details: ArmErrorDetail[]): ArmError {
  return new ArmError(400, 'ValidationError', 'One or more fields contain incorrect values:', details);
}

/** A single-field ValidationError. */
export function invalidField(target: string, message: string): ArmError {
  return validationError([{ code: 'ValidationError', target, message }]);
}
