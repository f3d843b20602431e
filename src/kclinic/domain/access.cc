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
    case Permission::kInstrumentRead:
      return "instrument.read";
    case Permission::kAssessmentRead:
      return "assessment.read";
    case Permission::kAssessmentRecord:
      return "assessment.record";
    case Permission::kWorklistRead:
      return "worklist.read";
    case Permission::kReviewTaskRead:
      return "review_task.read";
    case Permission::kAlertManage:
      return "alert.manage";
    case Permission::kCourseWrite:
      return "course.write";
    case Permission::kScreeningRead:
      return "screening.read";
    case Permission::kScreeningWrite:
      return "screening.write";
    case Permission::kPkCompute:
      return "pk.compute";
    case Permission::kSessionRead:
      return "session.read";
    case Permission::kSessionWrite:
      return "session.write";
    case Permission::kSessionOverride:
      return "session.override";
    case Permission::kSessionSign:
      return "session.sign";
    case Permission::kLedgerRead:
      return "ledger.read";
    case Permission::kLedgerWrite:
      return "ledger.write";
    case Permission::kScheduleRead:
      return "schedule.read";
    case Permission::kScheduleWrite:
      return "schedule.write";
    case Permission::kResourceManage:
      return "resource.manage";
    case Permission::kUtilisationRead:
      return "utilisation.read";
    case Permission::kBookingRequest:
      return "booking.request";
    case Permission::kBoosterDecide:
      return "booster.decide";
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
    // Rating scales and outcomes are clinical data: not for the front desk or the administrator.
    // Safety alerts go to prescribers (CLINICAL.md §5: item 9 > 0 → a clinician's safety workflow).
    {Permission::kInstrumentRead, {kAdmin, kPrescriber, kNurse, kFrontDesk, kPatient}},
    {Permission::kAssessmentRead, {kPrescriber, kNurse, kPatient}},
    {Permission::kAssessmentRecord, {kPrescriber, kNurse, kPatient}},
    {Permission::kWorklistRead, {kPrescriber, kNurse, kFrontDesk}},
    // A review task's reason quotes PHQ-9 totals: not for the front desk (issue 22).
    {Permission::kReviewTaskRead, {kPrescriber, kNurse}},
    {Permission::kAlertManage, {kPrescriber}},
    {Permission::kCourseWrite, {kPrescriber, kNurse}},
    // Screening and dose plans: prescribers decide; nurses read what they will administer.
    {Permission::kScreeningRead, {kPrescriber, kNurse}},
    {Permission::kScreeningWrite, {kPrescriber}},
    {Permission::kPkCompute, {kPrescriber, kNurse}},
    // Sessions (CLINICAL.md §4): nurses run them, prescribers override failed pre-checks and sign.
    {Permission::kSessionRead, {kPrescriber, kNurse}},
    {Permission::kSessionWrite, {kPrescriber, kNurse}},
    {Permission::kSessionOverride, {kPrescriber}},
    {Permission::kSessionSign, {kPrescriber}},
    // The controlled-substance ledger (CLINICAL.md §7): nurses draw and waste within sessions;
    // the administrator acts as the registrant's controlled-substance officer with prescribers.
    {Permission::kLedgerRead, {kAdmin, kPrescriber, kNurse}},
    {Permission::kLedgerWrite, {kAdmin, kPrescriber}},
    // Booking (CLINICAL.md §3): the front desk books; the administrator (the director) manages
    // resources and reads utilisation, which names no patient.
    {Permission::kScheduleRead, {kPrescriber, kNurse, kFrontDesk}},
    {Permission::kScheduleWrite, {kPrescriber, kNurse, kFrontDesk}},
    {Permission::kResourceManage, {kAdmin}},
    {Permission::kUtilisationRead, {kAdmin, kPrescriber}},
    {Permission::kBookingRequest, {kPatient}},
    {Permission::kBoosterDecide, {kPrescriber}},
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

std::vector<Permission> PermissionsOf(Role role) {
  std::vector<Permission> out;
  for (const Grant& g : kGrants) {
    if (RoleHas(role, g.permission)) out.push_back(g.permission);
  }
  return out;
}

bool CanReachPatient(const Actor& actor, const PatientId& patient) {
  if (actor.role == Role::kPatient) return actor.patient_id && *actor.patient_id == patient;
  return true;
}

}  // namespace kclinic::domain
