// Who may do what: the roles, the permissions and the one table that joins them. Every HTTP route
// names one Permission; anything a role is not granted here is denied.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/strong_id.h"

namespace kclinic::domain {

enum class Role { kAdmin, kPrescriber, kNurse, kFrontDesk, kPatient };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kPrescriber, Role::kNurse,
                                     Role::kFrontDesk, Role::kPatient};

enum class Permission {
  kPublic,            // no session needed: login, health, metrics, the web app
  kOwnAccount,        // any logged-in user acting on their own account (me, logout, TOTP)
  kPatientSearch,     // list and search all patients
  kPatientCreate,     // register a patient
  kPatientRead,       // read one patient's record (a patient: only her own)
  kPatientUpdate,     // correct a record, add a weight
  kUserManage,        // create and list staff and portal accounts
  kAuditRead,         // read the audit trail
  kSettingsRead,      // read the site settings
  kInstrumentRead,    // read rating-scale definitions (no patient data)
  kAssessmentRead,    // a patient's scales, outcomes and due questionnaires (a patient: her own)
  kAssessmentRecord,  // enter a completed scale (a patient: her own, self-rated scales only)
  kWorklistRead,      // the clinic's overdue-questionnaire list
  kReviewTaskRead,    // the course reviews due, whose reasons quote rating-scale results
  kAlertManage,       // see and acknowledge safety alerts
  kCourseWrite,       // start a course, change its phase, record its sessions
  kScreeningRead,     // a candidate's intake, screening result, decisions and infusion plans
  kScreeningWrite,    // enter an intake, decide on it, plan an infusion
  kPkCompute,         // predict plasma curves for a dose (no patient data)
  kSessionRead,       // infusion/esketamine sessions: vitals, alerts, side effects, REMS forms
  kSessionWrite,      // run a session: check in, pre-checks, pump, vitals, side effects, discharge
  kSessionOverride,   // let an infusion start although a pre-check failed (with a reason)
  kSessionSign,       // sign a discharged session; the signed record is locked
  kLedgerRead,        // controlled-substance lots, balances and ledger entries
  kLedgerWrite,       // receive vials, count, adjust, transfer out, reports (the CS officer)
  kScheduleRead,      // the booking calendar, today's sessions, due boosters (names patients)
  kScheduleWrite,     // book, move and cancel appointments; accept portal requests
  kResourceManage,    // chairs, staff shifts, opening hours, holidays, protocols (no patient data)
  kUtilisationRead,   // chair and staff utilisation of a week (no patient data)
  kBookingRequest,    // a patient asks for a booking in the portal (her own only)
  kBoosterDecide,     // accept or change a proposed booster date
};
std::string_view PermissionName(Permission p);

// True when `role` holds `permission`. The single permission table in the code.
bool RoleHas(Role role, Permission permission);

// Every permission `role` holds, in the table's order: what `GET /api/v1/auth/me` tells the
// browser app, so that it never keeps a copy of the table.
std::vector<Permission> PermissionsOf(Role role);

// The logged-in person making a request.
struct Actor {
  UserId user_id;
  std::string username;
  Role role = Role::kPatient;
  std::optional<PatientId> patient_id;  // set for, and only for, role kPatient
};

// True when `actor` may see or change data of `patient`: staff with the permission may reach any
// patient; a patient account reaches only the record it is linked to.
bool CanReachPatient(const Actor& actor, const PatientId& patient);

}  // namespace kclinic::domain
