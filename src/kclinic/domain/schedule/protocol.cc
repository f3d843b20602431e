#include "kclinic/domain/schedule/protocol.h"

#include <algorithm>
#include <string>

namespace kclinic::domain::schedule {

std::string_view ProtocolKindName(ProtocolKind kind) {
  switch (kind) {
    case ProtocolKind::kIvKetamine:
      return "iv_ketamine";
    case ProtocolKind::kEsketamine:
      return "esketamine";
  }
  return "iv_ketamine";
}

std::optional<ProtocolKind> ParseProtocolKind(std::string_view name) {
  if (name == "iv_ketamine") return ProtocolKind::kIvKetamine;
  if (name == "esketamine") return ProtocolKind::kEsketamine;
  return std::nullopt;
}

int PlannedSessionCount(const Protocol& p) {
  if (!IsStaged(p)) return p.sessions;
  int n = 0;
  for (const auto& s : p.stages) {
    if (s.weeks == 0) {
      n += p.open_ended_sessions;
    } else {
      n += std::max(1, s.weeks * 7 / std::max(1, s.interval_days));
    }
  }
  return n;
}

namespace {

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The earliest day (0-based from the first session) the last of `sessions` sessions can fall on
// with gap `gap` and at most `per_week` per 7-day week counted from the first session.
int EarliestLastDay(int sessions, int gap, int per_week) {
  int day = 0;
  int week = 0;
  int in_week = 0;
  for (int i = 1; i < sessions; ++i) {
    ++in_week;  // session i-1 placed on `day`
    day += gap + 1;
    if (day / 7 != week) {
      week = day / 7;
      in_week = 0;
    }
    if (in_week >= per_week) {
      week += 1;
      day = week * 7;
      in_week = 0;
    }
  }
  return day;
}

}  // namespace

Status ValidateProtocol(const Protocol& p) {
  if (!ValidId(p.id)) return InvalidArgument("id", "must be 1-64 of a-z, 0-9 and -");
  if (p.name.empty() || p.name.size() > 200)
    return InvalidArgument("name", "must be 1-200 characters");
  if (p.required_qualification.empty() || p.required_qualification.size() > 64) {
    return InvalidArgument("required_qualification", "must be 1-64 characters (e.g. iv)");
  }
  if (p.appointment_minutes.value() < 15 || p.appointment_minutes.value() > 600) {
    return InvalidArgument("appointment_minutes", "must be 15-600 minutes");
  }
  if (p.min_gap_days < 0 || p.min_gap_days > 60) {
    return InvalidArgument("min_gap_days", "must be 0-60 days");
  }
  if (IsStaged(p)) {
    if (p.stages.size() > 20) return InvalidArgument("stages", "at most 20 stages");
    for (size_t i = 0; i < p.stages.size(); ++i) {
      const auto& s = p.stages[i];
      const std::string f = "stages[" + std::to_string(i) + "]";
      if (s.weeks < 0 || s.weeks > 104) return InvalidArgument(f + ".weeks", "must be 0-104");
      if (s.weeks == 0 && i + 1 != p.stages.size()) {
        return InvalidArgument(f + ".weeks", "only the last stage may be open-ended (weeks 0)");
      }
      if (s.interval_days < 1 || s.interval_days > 120) {
        return InvalidArgument(f + ".interval_days", "must be 1-120 days");
      }
      if (s.interval_days <= p.min_gap_days) {
        return InvalidArgument(f + ".interval_days", "must be more than min_gap_days (" +
                                                         std::to_string(p.min_gap_days) + ")");
      }
    }
    if (p.open_ended_sessions < 1 || p.open_ended_sessions > 52) {
      return InvalidArgument("open_ended_sessions", "must be 1-52");
    }
    if (PlannedSessionCount(p) > 200) return InvalidArgument("stages", "more than 200 sessions");
    return Status::Ok();
  }
  if (p.sessions < 1 || p.sessions > 60) return InvalidArgument("sessions", "must be 1-60");
  if (p.per_week_max < 1 || p.per_week_max > 7) {
    return InvalidArgument("per_week_max", "must be 1-7");
  }
  if (p.per_week_min < 0 || p.per_week_min > p.per_week_max) {
    return InvalidArgument("per_week_min", "must be 0..per_week_max");
  }
  if (p.window_days < 1 || p.window_days > 365) {
    return InvalidArgument("window_days", "must be 1-365 days");
  }
  const int last = EarliestLastDay(p.sessions, p.min_gap_days, p.per_week_max);
  if (last >= p.window_days) {
    return InvalidArgument("window_days",
                           std::to_string(p.sessions) + " sessions with " +
                               std::to_string(p.min_gap_days) + " day(s) between and at most " +
                               std::to_string(p.per_week_max) + " a week need at least " +
                               std::to_string(last + 1) + " days, more than window_days " +
                               std::to_string(p.window_days));
  }
  return Status::Ok();
}

const std::vector<Protocol>& BuiltinProtocols() {
  static const std::vector<Protocol> kAll = [] {
    std::vector<Protocol> v;
    // CLINICAL.md §3: 6 infusions over 2-3 weeks, 2-3 per week, default spacing >= 1 day
    // (Murrough 2013: 3x/week over 12 days; Singh 2016: 2x and 3x/week equally effective;
    // Oliver 2022: 6 within 21 days).
    v.push_back({.id = "iv-standard",
                 .name = "IV ketamine induction: 6 infusions in 21 days",
                 .kind = ProtocolKind::kIvKetamine,
                 .sessions = 6,
                 .per_week_min = 2,
                 .per_week_max = 3,
                 .min_gap_days = 1,
                 .window_days = 21,
                 .appointment_minutes = Minutes(120),
                 .required_qualification = "iv",
                 .stages = {},
                 .open_ended_sessions = 2,
                 .citation = "CLINICAL.md §3: Murrough 2013 (3x/week over 12 days), Singh 2016 "
                             "(2x and 3x/week equally effective), Oliver 2022 (6 within 21 "
                             "days); spacing >= 1 day"});
    // CLINICAL.md §3: Anand 2023, twice weekly for 3 weeks.
    v.push_back({.id = "iv-twice-weekly",
                 .name = "IV ketamine induction: twice weekly for 3 weeks",
                 .kind = ProtocolKind::kIvKetamine,
                 .sessions = 6,
                 .per_week_min = 2,
                 .per_week_max = 2,
                 .min_gap_days = 1,
                 .window_days = 21,
                 .appointment_minutes = Minutes(120),
                 .required_qualification = "iv",
                 .stages = {},
                 .open_ended_sessions = 2,
                 .citation = "CLINICAL.md §3: Anand 2023 (2x/week for 3 weeks)"});
    // CLINICAL.md §3: Spravato label, weeks 1-4 twice weekly; 2 h observation after each dose.
    v.push_back({.id = "esketamine-induction",
                 .name = "Esketamine induction: twice weekly, weeks 1-4",
                 .kind = ProtocolKind::kEsketamine,
                 .sessions = 8,
                 .per_week_min = 2,
                 .per_week_max = 2,
                 .min_gap_days = 1,
                 .window_days = 28,
                 .appointment_minutes = Minutes(150),
                 .required_qualification = "esketamine",
                 .stages = {},
                 .open_ended_sessions = 2,
                 .citation = "CLINICAL.md §3: esketamine (Spravato) label, weeks 1-4 twice "
                             "weekly"});
    // CLINICAL.md §3: label, weeks 5-8 weekly, week 9 on every 1-2 weeks (planned every 2 weeks,
    // the lowest frequency; the prescriber shortens it if response slips).
    v.push_back({.id = "esketamine-maintenance",
                 .name = "Esketamine maintenance: weekly weeks 5-8, then every 2 weeks",
                 .kind = ProtocolKind::kEsketamine,
                 .sessions = 0,
                 .per_week_min = 0,
                 .per_week_max = 1,
                 .min_gap_days = 1,
                 .window_days = 365,
                 .appointment_minutes = Minutes(150),
                 .required_qualification = "esketamine",
                 .stages = {{4, 7}, {0, 14}},
                 .open_ended_sessions = 2,
                 .citation = "CLINICAL.md §3: esketamine (Spravato) label, weeks 5-8 weekly, "
                             "week 9 on every 1-2 weeks"});
    // CLINICAL.md §3 [R]: practice tapers weekly -> every 2 weeks -> monthly (Phillips 2019:
    // weekly maintenance held gains).
    v.push_back({.id = "iv-maintenance-taper",
                 .name = "IV ketamine maintenance taper: weekly, every 2 weeks, monthly",
                 .kind = ProtocolKind::kIvKetamine,
                 .sessions = 0,
                 .per_week_min = 0,
                 .per_week_max = 1,
                 .min_gap_days = 1,
                 .window_days = 365,
                 .appointment_minutes = Minutes(120),
                 .required_qualification = "iv",
                 .stages = {{4, 7}, {4, 14}, {0, 28}},
                 .open_ended_sessions = 2,
                 .citation = "CLINICAL.md §3 [R]: practice tapers weekly -> every 2 weeks -> "
                             "monthly; Phillips 2019 weekly maintenance held gains"});
    for (auto& p : v) p.sessions = PlannedSessionCount(p);
    return v;
  }();
  return kAll;
}

const Protocol* FindBuiltinProtocol(std::string_view id) {
  for (const auto& p : BuiltinProtocols()) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace kclinic::domain::schedule
