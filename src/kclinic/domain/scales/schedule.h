// Which questionnaires a patient owes now: PHQ-9 and GAD-7 before each session, every
// maintenance interval during maintenance, and a daily reminder for a few days after a missed
// one. Pure: `now` comes in as an argument.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/domain/settings.h"

namespace kclinic::domain::scales {

enum class CoursePhase { kNone, kInduction, kMaintenance };
// "none", "induction", "maintenance".
std::string_view CoursePhaseName(CoursePhase p);

// Why a questionnaire is due.
enum class DueReason {
  kBeforeSession,  // answer it in the window before a session
  kInterval,       // the maintenance interval since the last one has passed
};
// "before_session", "interval".
std::string_view DueReasonName(DueReason r);

struct ScheduleSettings {
  std::chrono::hours before_session{72};      // setting schedule.before_session_hours
  std::chrono::days maintenance_interval{7};  // setting schedule.maintenance_interval_days
  int reminder_days = 3;                      // setting schedule.reminder_days
};
// The settings in force at a site.
ScheduleSettings ScheduleSettingsFrom(const SiteSettings& settings);

struct ScheduleInput {
  std::vector<Timestamp> sessions;  // the patient's past and upcoming session starts, any order
  CoursePhase phase = CoursePhase::kNone;
  std::map<std::string, Timestamp, std::less<>> last_completed;  // instrument id -> latest
  Timestamp now;
  std::vector<std::string> instruments = {"phq9", "gad7"};  // what the site schedules
};

struct DueQuestionnaire {
  std::string instrument;
  DueReason reason;
  Timestamp opens_at;  // answers from here on count
  Timestamp due_at;    // the deadline: the session start, or a day after the interval elapsed
  bool overdue;        // now >= due_at
  int reminder;        // 0 before due_at; then 1..reminder_days, one per day since due_at
};

// At most one entry per scheduled instrument (the overdue one first, else the earliest due_at),
// in `instruments` order. Nothing is due in phase kNone. An overdue questionnaire is listed for
// reminder_days days after due_at and then lapses (the next session or interval asks again).
std::vector<DueQuestionnaire> DueQuestionnaires(const ScheduleInput& input,
                                                const ScheduleSettings& settings);

// When an assessment may say it was answered (CLINICAL.md §5; issue 21). What a patient answers
// herself is dated when she sends it: `administered_at` may be absent or within 5 minutes of
// `now` (a clock's skew), never a day she picks. Staff entering a paper form may date it back at
// most kBackdateMaxDays, and a date more than an hour back needs `reason` (recorded with it).
// Nothing may lie in the future. Errors name "administered_at" or "backdate_reason".
Status CheckAdministeredAt(bool self_reported, std::optional<Timestamp> administered_at,
                           const std::optional<std::string>& reason, Timestamp now,
                           const SiteSettings& settings);

}  // namespace kclinic::domain::scales
