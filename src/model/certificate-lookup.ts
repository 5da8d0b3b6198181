/**
 * Finding a `certificates` resource the way Azure's references name one: by `certificate-id`
 * (the resource name, or its full ARM id / `/certificates/{name}` path, without case) or by
 * thumbprint (without case). Backends' credentials, authentication-certificate and
 * validate-client-certificate's `issuer-certificate-id` all look certificates up here.
 */
import type { Certificate } from './resources.js';

/** The certificate an id names: `name`, `/certificates/name` or a full ARM id. */
export function certificateById(certificates: Iterable<Certificate>, id: string): Certificate | undefined {
  const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
  for (const c of certificates) if (c.name.toLowerCase() === name) return c;
  return undefined;
}

/** The certificate with this thumbprint (SHA-1 hex, any case). */
export function certificateByThumbprint(certificates: Iterable<Certificate>, thumbprint: string): Certificate | undefined {
  const wanted = thumbprint.trim().toLowerCase();
  for (const c of certificates) if (c.thumbprint.toLowerCase() === wanted) return c;
  return undefined;
}
