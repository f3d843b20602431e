#include "kclinic/domain/scales/safety.h"

#include <chrono>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {

bool RaisesAlert(Flag flag) {
  switch (flag) {
    case Flag::kSuicidalIdeation:
    case Flag::kSuicideRiskModerate:
    case Flag::kSuicideRiskHigh:
    case Flag::kPositiveSymptoms:
      return true;
  }
  return false;
}

bool ShowsCrisisResources(Flag flag) {
  switch (flag) {
    case Flag::kSuicidalIdeation:
    case Flag::kSuicideRiskModerate:
    case Flag::kSuicideRiskHigh:
      return true;
    case Flag::kPositiveSymptoms:
      return false;
  }
  return false;
}

SafetyResponse SafetyResponseFor(std::span<const Flag> flags) {
  SafetyResponse out;
  for (Flag f : flags) {
    if (RaisesAlert(f)) out.alerts.push_back(f);
    out.crisis_resources = out.crisis_resources || ShowsCrisisResources(f);
  }
  return out;
}

bool IsEscalated(Timestamp created_at, bool acknowledged, Timestamp now,
                 const SiteSettings& settings) {
  const auto after =
      std::chrono::minutes(static_cast<int>(settings.Get(kAlertEscalateAfterMinutes)));
  return !acknowledged && now - created_at >= after;
}

}  // namespace kclinic::domain::scales
