// What the logged-in person may do, from the permission codes GET /api/v1/auth/me lists for their
// role (the table itself is src/kclinic/domain/access.cc, on the server only). The app shows a
// link or a form only when the server would allow it; the server still checks every request.

import type { PermissionCode, User } from "./types";

export function can(user: Pick<User, "permissions">, permission: PermissionCode): boolean {
  return user.permissions.includes(permission);
}

/** Staff: anyone who may search the patient list (a patient reaches only her own record). */
export function isStaff(user: Pick<User, "permissions">): boolean {
  return can(user, "patient.search");
}

/** A role as a person reads it. */
export const ROLE_LABELS: Record<string, string> = {
  admin: "Administrator",
  prescriber: "Prescriber",
  nurse: "Nurse",
  front_desk: "Front desk",
  patient: "Patient",
};
