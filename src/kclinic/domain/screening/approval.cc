#include "kclinic/domain/screening/approval.h"

#include <chrono>

#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain::screening {

ApprovalState JudgeDecision(ScreeningDecision decision, Timestamp decided_at, Timestamp now,
                            const SiteSettings& settings) {
  if (decision == ScreeningDecision::kDecline) return ApprovalState::kDeclined;
  const auto valid_for =
      std::chrono::hours(static_cast<int64_t>(settings.Get(session::kScreeningValidDays) * 24));
  return now - decided_at > valid_for ? ApprovalState::kExpired : ApprovalState::kCurrent;
}

Approval CurrentApproval(const std::optional<std::string>& latest_intake_id,
                         std::span<const ScreeningDecisionRecord> decisions_newest_first,
                         Timestamp now, const SiteSettings& settings) {
  Approval out;
  if (!latest_intake_id) return out;
  for (const auto& d : decisions_newest_first) {
    if (d.intake_id == *latest_intake_id) {
      out.decision = d;
      break;
    }
  }
  if (!out.decision) return out;
  out.state = JudgeDecision(out.decision->decision, out.decision->decided_at, now, settings);
  if (out.state != ApprovalState::kDeclined) {
    out.valid_until =
        out.decision->decided_at +
        std::chrono::hours(static_cast<int64_t>(settings.Get(session::kScreeningValidDays) * 24));
  }
  return out;
}

std::string ApprovalRefusal(const Approval& a) {
  switch (a.state) {
    case ApprovalState::kCurrent:
      return "";
    case ApprovalState::kNoDecision:
    case ApprovalState::kDeclined:
      return "the newest screening is not approved: enter the intake and record an approving "
             "decision first";
    case ApprovalState::kExpired:
      return "the screening approval of " + FormatDate(DateOf(a.decision->decided_at)) +
             " is no longer current: repeat the screening and record a new decision first";
  }
  return "";
}

}  // namespace kclinic::domain::screening
