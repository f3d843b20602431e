// Treatment protocols as data (issue 6, CLINICAL.md §3): how many sessions, how often, how far
// apart, how long each appointment takes and who may staff it. The built-in protocols cite their
// source; a site adds its own, validated by ValidateProtocol.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/base/units.h"

namespace kclinic::domain::schedule {

enum class ProtocolKind { kIvKetamine, kEsketamine };
// "iv_ketamine", "esketamine".
std::string_view ProtocolKindName(ProtocolKind kind);
std::optional<ProtocolKind> ParseProtocolKind(std::string_view name);

// One stage of a maintenance or taper schedule: a session every `interval_days` for `weeks`
// weeks. weeks == 0 means "from here on, until the prescriber stops" (open-ended); only the last
// stage may be open-ended, and PlanSeries plans `open_ended_sessions` sessions of it.
struct ProtocolStage {
  int weeks = 0;
  int interval_days = 7;
};

// A protocol. Two shapes:
//  - an induction series (stages empty): `sessions` sessions, at most `per_week_max` and ideally
//    at least `per_week_min` in each week of the series (week 1 = the 7 local days starting on the
//    first session's date), consecutive sessions at least `min_gap_days` whole days apart (1: never
//    on consecutive days; 0: same-day allowed is never used, sessions are always on distinct
//    days), all within `window_days` local days of the first (last date - first date <
//    window_days);
//  - a staged schedule (stages not empty): stage s holds weeks*7 / interval_days sessions
//    (open_ended_sessions for an open-ended last stage); the session after session k is due
//    `interval_days` of session k's stage after it and lands on the earliest bookable day from
//    then on, at most max(1, interval_days / 2) days late. `sessions` = PlannedSessionCount.
struct Protocol {
  std::string id;    // [a-z0-9-]{1,64}, unique per site ("iv-standard")
  std::string name;  // for people
  ProtocolKind kind = ProtocolKind::kIvKetamine;
  int sessions = 6;
  int per_week_min = 2;  // soft: may be bent, the plan says so
  int per_week_max = 3;  // hard
  int min_gap_days = 1;  // hard
  int window_days = 21;  // hard (induction series only)
  // Infusion + recovery + turnover (IV default 120 = 40 + 60 + 20; esketamine 150 = 2 h
  // observation per label + turnover).
  Minutes appointment_minutes{120};
  std::string required_qualification = "iv";  // "iv" | "esketamine"
  std::vector<ProtocolStage> stages;          // empty for an induction series
  int open_ended_sessions = 2;                // sessions planned for an open-ended last stage
  std::string citation;                       // where the schedule comes from
};

// True for a staged (maintenance / taper) protocol.
inline bool IsStaged(const Protocol& p) { return !p.stages.empty(); }

// Number of sessions a staged protocol plans: per finite stage max(1, weeks*7 / interval_days),
// plus open_ended_sessions for an open-ended last stage. For an induction series, `sessions`.
int PlannedSessionCount(const Protocol& p);

// InvalidArgument naming the field ("per_week_max", "stages[1].interval_days", ...) when a value
// is out of range or inconsistent (per_week_min > per_week_max, a series that cannot fit its
// window with its gap and weekly maximum, an open-ended stage that is not the last...).
Status ValidateProtocol(const Protocol& p);

// The built-in protocols (CLINICAL.md §3): iv-standard, iv-twice-weekly, esketamine-induction,
// esketamine-maintenance, iv-maintenance-taper.
const std::vector<Protocol>& BuiltinProtocols();
// The built-in protocol with this id, or nullptr.
const Protocol* FindBuiltinProtocol(std::string_view id);

}  // namespace kclinic::domain::schedule
