// Whether a patient is approved for treatment now: the one rule that booking a series, saving an
// infusion plan and the session's pre-checks all apply (issue 20), so that nobody can be booked
// or planned on a screening the session would then refuse.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kclinic/base/clock.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::screening {

enum class ApprovalState {
  kNoDecision,  // no intake, or no decision on the newest intake
  kDeclined,    // the newest intake's newest decision is decline
  kExpired,     // approved or overridden, but longer ago than session.screening_valid_days
  kCurrent,     // approved or overridden within session.screening_valid_days
};

struct Approval {
  ApprovalState state = ApprovalState::kNoDecision;
  // The decision judged (the newest on the newest intake), when there is one.
  std::optional<ScreeningDecisionRecord> decision;
  // When an approval stops being current (decided_at + session.screening_valid_days).
  std::optional<Timestamp> valid_until;
};

// Judges the newest decision on the newest intake (`latest_intake_id`, nullopt when the patient
// has no intake) among `decisions_newest_first`, at `now`. Site rule, CLINICAL.md §1 (the
// pre-treatment evaluation is a prescriber's decision on the current intake; a decline stands
// until a new intake is decided) and session.screening_valid_days (how long an approval stays
// current). A decision on an older intake does not count: a new intake needs a new decision.
Approval CurrentApproval(const std::optional<std::string>& latest_intake_id,
                         std::span<const ScreeningDecisionRecord> decisions_newest_first,
                         Timestamp now, const SiteSettings& settings);

// The state of one decision made at `decided_at`, judged at `now`: the core of CurrentApproval,
// which the session's pre-check applies to the facts it loaded.
ApprovalState JudgeDecision(ScreeningDecision decision, Timestamp decided_at, Timestamp now,
                            const SiteSettings& settings);

inline bool IsCurrentApproval(const Approval& a) { return a.state == ApprovalState::kCurrent; }

// Why a patient is not approved, in words for the 412 a booking or a plan answers (empty when
// the approval is current).
std::string ApprovalRefusal(const Approval& a);

}  // namespace kclinic::domain::screening
