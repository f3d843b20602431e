// What a scored questionnaire's safety flags call for (CLINICAL.md §5): which flags open a safety
// alert for the prescriber, which also show the patient crisis resources at once, and when an
// unacknowledged alert counts as escalated.
#pragma once

#include <span>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::scales {

// PHQ-9 item 9 > 0 (and the other instruments' suicidality items), C-SSRS moderate or high risk
// → safety workflow; BPRS new positive symptoms → alert (CLINICAL.md §5).
bool RaisesAlert(Flag flag);
// The suicide-related flags: the patient sees the crisis resources as soon as she submits.
bool ShowsCrisisResources(Flag flag);

struct SafetyResponse {
  std::vector<Flag> alerts;  // one alert per flag, in the order scored
  bool crisis_resources = false;
};
SafetyResponse SafetyResponseFor(std::span<const Flag> flags);

// An alert not acknowledged within scales.alert_escalate_after_minutes of `created_at` is
// escalated (issue 3).
bool IsEscalated(Timestamp created_at, bool acknowledged, Timestamp now,
                 const SiteSettings& settings);

}  // namespace kclinic::domain::scales
