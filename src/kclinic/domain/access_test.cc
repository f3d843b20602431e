#include "kclinic/domain/access.h"

#include <gtest/gtest.h>

namespace kclinic::domain {
namespace {

TEST(Access, PatientsReachOnlyTheirOwnRecord) {
  PatientId own("0123456789abcdef0123456789abcdef"), other("fedcba9876543210fedcba9876543210");
  Actor patient{UserId("u"), "ana", Role::kPatient, own};
  Actor unlinked{UserId("v"), "ghost", Role::kPatient, std::nullopt};
  Actor nurse{UserId("w"), "kim", Role::kNurse, std::nullopt};
  EXPECT_TRUE(CanReachPatient(patient, own));
  EXPECT_FALSE(CanReachPatient(patient, other));
  EXPECT_FALSE(CanReachPatient(unlinked, own));
  EXPECT_TRUE(CanReachPatient(nurse, other));
}

TEST(Access, PatientRoleHoldsOnlyReadAndOwnAccount) {
  for (Permission p :
       {Permission::kPatientSearch, Permission::kPatientCreate, Permission::kPatientUpdate,
        Permission::kUserManage, Permission::kAuditRead, Permission::kSettingsRead}) {
    EXPECT_FALSE(RoleHas(Role::kPatient, p)) << PermissionName(p);
  }
  EXPECT_TRUE(RoleHas(Role::kPatient, Permission::kPatientRead));
  EXPECT_TRUE(RoleHas(Role::kPatient, Permission::kOwnAccount));
}

TEST(Access, OnlyAdminsManageUsersAndReadTheAudit) {
  for (Role r : kAllRoles) {
    EXPECT_EQ(RoleHas(r, Permission::kUserManage), r == Role::kAdmin) << RoleName(r);
    EXPECT_EQ(RoleHas(r, Permission::kAuditRead), r == Role::kAdmin) << RoleName(r);
  }
}

// Rating-scale results (scores, and review tasks whose reasons quote them) are clinical data:
// not for the front desk or the administrator (the minimum necessary, 45 CFR 164.502(b); issue 22).
TEST(Access, RatingScaleResultsAreForClinicians) {
  for (Role r : kAllRoles) {
    const bool clinician = r == Role::kPrescriber || r == Role::kNurse;
    EXPECT_EQ(RoleHas(r, Permission::kReviewTaskRead), clinician) << RoleName(r);
    if (r != Role::kPatient) {  // a patient reads her own
      EXPECT_EQ(RoleHas(r, Permission::kAssessmentRead), clinician) << RoleName(r);
    }
  }
}

TEST(Access, RoleNamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace kclinic::domain
