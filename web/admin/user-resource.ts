/**
 * A user as the management API answers it (Azure's UserContract), and how the console names one.
 */
export interface UserResource {
  name: string;
  properties: { email?: string; firstName?: string; lastName?: string; state?: string; registrationDate?: string; note?: string };
}

/** "First Last", or the id when the user has no names. */
export function userFullName(user: UserResource): string {
  const full = `${user.properties.firstName ?? ''} ${user.properties.lastName ?? ''}`.trim();
  return full || user.name;
}

/** The registration date as a day (2026-12-07), or '' without one. */
export function registrationDay(user: UserResource): string {
  return user.properties.registrationDate?.slice(0, 10) ?? '';
}
