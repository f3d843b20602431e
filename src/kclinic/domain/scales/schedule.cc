#include "kclinic/domain/scales/schedule.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

#include "kclinic/domain/scales/scale_settings.h"

namespace kclinic::domain::scales {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;

// A maintenance questionnaire can be answered for one day after its interval has elapsed before
// it counts as missed (and daily reminders start).
constexpr hours kIntervalAnswerWindow{24};

// Adds the overdue entry for an obligation whose deadline passed, while reminders last.
void AddIfReminding(std::vector<DueQuestionnaire>& out, const std::string& instrument,
                    DueReason reason, Timestamp opens_at, Timestamp due_at, Timestamp now,
                    int reminder_days) {
  // Issue 3: after a missed questionnaire, a reminder each day for schedule.reminder_days days;
  // then it lapses and the next session or interval asks again.
  const auto days_late = floor<days>(now - due_at).count();
  if (days_late < reminder_days) {
    out.push_back({instrument, reason, opens_at, due_at, true, static_cast<int>(days_late) + 1});
  }
}

}  // namespace

std::string_view CoursePhaseName(CoursePhase p) {
  switch (p) {
    case CoursePhase::kNone:
      return "none";
    case CoursePhase::kInduction:
      return "induction";
    case CoursePhase::kMaintenance:
      return "maintenance";
  }
  return "";
}

std::string_view DueReasonName(DueReason r) {
  return r == DueReason::kBeforeSession ? "before_session" : "interval";
}

ScheduleSettings ScheduleSettingsFrom(const SiteSettings& settings) {
  ScheduleSettings s;
  s.before_session = hours(static_cast<int64_t>(settings.Get(kBeforeSessionHours)));
  s.maintenance_interval = days(static_cast<int64_t>(settings.Get(kMaintenanceIntervalDays)));
  s.reminder_days = static_cast<int>(settings.Get(kReminderDays));
  return s;
}

std::vector<DueQuestionnaire> DueQuestionnaires(const ScheduleInput& input,
                                                const ScheduleSettings& settings) {
  std::vector<DueQuestionnaire> result;
  if (input.phase == CoursePhase::kNone) return result;
  std::vector<Timestamp> sessions = input.sessions;
  std::sort(sessions.begin(), sessions.end());
  const Timestamp now = input.now;
  // The next session still ahead, and the latest one that has started.
  std::optional<Timestamp> next, previous;
  auto upper = std::upper_bound(sessions.begin(), sessions.end(), now);
  if (upper != sessions.end()) next = *upper;
  if (upper != sessions.begin()) previous = *(upper - 1);

  for (const std::string& instrument : input.instruments) {
    std::optional<Timestamp> last;
    if (auto it = input.last_completed.find(instrument); it != input.last_completed.end()) {
      last = it->second;
    }
    auto done_since = [&](Timestamp t) { return last && *last >= t; };
    std::vector<DueQuestionnaire> candidates;

    // Issue 3: PHQ-9 and GAD-7 before each session, answerable from
    // schedule.before_session_hours before it; the session start is the deadline.
    if (next) {
      Timestamp opens = *next - settings.before_session;
      if (now >= opens && !done_since(opens)) {
        candidates.push_back({instrument, DueReason::kBeforeSession, opens, *next, false, 0});
      }
    }
    if (previous) {
      Timestamp opens = *previous - settings.before_session;
      if (!done_since(opens)) {
        AddIfReminding(candidates, instrument, DueReason::kBeforeSession, opens, *previous, now,
                       settings.reminder_days);
      }
    }

    // Issue 3: weekly (schedule.maintenance_interval_days) during maintenance.
    if (input.phase == CoursePhase::kMaintenance) {
      if (!last) {
        candidates.push_back({instrument, DueReason::kInterval, now, now, false, 0});
      } else if (settings.maintenance_interval.count() > 0 && now >= *last) {
        const auto cycles = (now - *last) / settings.maintenance_interval;
        if (cycles > 0) {
          Timestamp opens = *last + cycles * settings.maintenance_interval;
          Timestamp due = opens + kIntervalAnswerWindow;
          if (now < due) {
            candidates.push_back({instrument, DueReason::kInterval, opens, due, false, 0});
          } else {
            AddIfReminding(candidates, instrument, DueReason::kInterval, opens, due, now,
                           settings.reminder_days);
          }
        }
      }
    }

    if (candidates.empty()) continue;
    // One answer satisfies every open obligation, so one entry per instrument: the most urgent.
    auto best = std::min_element(candidates.begin(), candidates.end(),
                                 [](const DueQuestionnaire& a, const DueQuestionnaire& b) {
                                   if (a.overdue != b.overdue) return a.overdue;
                                   return a.due_at < b.due_at;
                                 });
    result.push_back(*best);
  }
  return result;
}

Status CheckAdministeredAt(bool self_reported, std::optional<Timestamp> administered_at,
                           const std::optional<std::string>& reason, Timestamp now,
                           const SiteSettings& settings) {
  using std::chrono::hours;
  using std::chrono::minutes;
  if (!administered_at) return Status::Ok();
  const Timestamp at = *administered_at;
  if (at > now + minutes(5)) return InvalidArgument("administered_at", "may not lie in the future");
  if (self_reported) {
    if (at < now - minutes(5)) {
      return InvalidArgument("administered_at",
                             "cannot be set for answers you give yourself: they are dated when "
                             "you send them");
    }
    return Status::Ok();
  }
  const double max_days = settings.Get(kBackdateMaxDays);
  if (at < now - std::chrono::duration_cast<Timestamp::duration>(
                     std::chrono::duration<double, std::ratio<86400>>(max_days))) {
    char days[32];
    std::snprintf(days, sizeof days, "%g", max_days);
    return InvalidArgument("administered_at",
                           std::string("may be at most ") + days + " days back (a site setting)");
  }
  const bool blank = !reason || std::all_of(reason->begin(), reason->end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  });
  if (at < now - hours(1) && blank) {
    return InvalidArgument("backdate_reason",
                           "is required for a questionnaire dated more than an hour back");
  }
  if (reason && reason->size() > 500) {
    return InvalidArgument("backdate_reason", "must be at most 500 characters");
  }
  return Status::Ok();
}

}  // namespace kclinic::domain::scales
