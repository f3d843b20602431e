#include "kclinic/domain/access.h"

#include <initializer_list>

namespace kclinic::domain {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kPrescriber:
      return "prescriber";
    case Role::kNurse:
      return "nurse";
    case Role::kFrontDesk:
      return "front_desk";
    case Role::kPatient:
      return "patient";
  }
  return "patient";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kPublic:
      return "public";
    case Permission::kOwnAccount:
      return "own_account";
    case Permission::kPatientSearch:
      return "patient.search";
    case Permission::kPatientCreate:
      return "patient.create";
    case Permission::kPatientRead:
      return "patient.read";
    case Permission::kPatientUpdate:
      return "patient.update";
    case Permission::kUserManage:
      return "user.manage";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kSettingsRead:
      return "settings.read";
  }
  return "unknown";
}

namespace {

struct Grant {
  Permission permission;
  std::initializer_list<Role> roles;
};

using enum Role;
// The permission table. A nurse corrects contact details at check-in but does not register
// patients (front desk and prescribers do); patients read only their own record.
const Grant kGrants[] = {
    {Permission::kPublic, {kAdmin, kPrescriber, kNurse, kFrontDesk, kPatient}},
    {Permission::kOwnAccount, {kAdmin, kPrescriber, kNurse, kFrontDesk, kPatient}},
    {Permission::kPatientSearch, {kAdmin, kPrescriber, kNurse, kFrontDesk}},
    {Permission::kPatientCreate, {kAdmin, kPrescriber, kFrontDesk}},
    {Permission::kPatientRead, {kAdmin, kPrescriber, kNurse, kFrontDesk, kPatient}},
    {Permission::kPatientUpdate, {kAdmin, kPrescriber, kNurse, kFrontDesk}},
    {Permission::kUserManage, {kAdmin}},
    {Permission::kAuditRead, {kAdmin}},
    {Permission::kSettingsRead, {kAdmin, kPrescriber}},
};

}  // namespace

bool RoleHas(Role role, Permission permission) {
  for (const Grant& g : kGrants) {
    if (g.permission != permission) continue;
    for (Role r : g.roles) {
      if (r == role) return true;
    }
    return false;
  }
  return false;  // default deny: a permission missing from the table is granted to no one
}

bool CanReachPatient(const Actor& actor, const PatientId& patient) {
  if (actor.role == Role::kPatient) return actor.patient_id && *actor.patient_id == patient;
  return true;
}

}  // namespace kclinic::domain
