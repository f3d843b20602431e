#include "kclinic/domain/schedule/planner.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>

namespace kclinic::domain::schedule {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

int DayNumber(LocalDate d) { return static_cast<int>(sys_days(d).time_since_epoch().count()); }
LocalDate FromDayNumber(int n) { return LocalDate(sys_days(days(n))); }
Timestamp Plus(Timestamp t, Minutes m) {
  return t + std::chrono::minutes(static_cast<int64_t>(m.value()));
}

// Disjoint busy intervals of one resource, merged on insert: "free over [a, b)?" is one ordered
// lookup.
class BusySet {
 public:
  void Add(Timestamp start, Timestamp end) {
    auto it = intervals_.upper_bound(start);
    if (it != intervals_.begin()) {
      auto prev = std::prev(it);
      if (prev->second >= start) {
        start = prev->first;
        end = std::max(end, prev->second);
        it = intervals_.erase(prev);
      }
    }
    while (it != intervals_.end() && it->first <= end) {
      end = std::max(end, it->second);
      it = intervals_.erase(it);
    }
    intervals_.emplace(start, end);
  }
  // The busy interval overlapping [start, end), if any.
  std::optional<std::pair<Timestamp, Timestamp>> Conflict(Timestamp start, Timestamp end) const {
    auto it = intervals_.lower_bound(end);
    if (it == intervals_.begin()) return std::nullopt;
    --it;
    if (it->second <= start) return std::nullopt;
    return *it;
  }

 private:
  std::map<Timestamp, Timestamp> intervals_;
};

struct NurseShift {
  std::string username;
  const std::vector<std::string>* qualifications;
  Timestamp start;
  Timestamp end;
};

// Everything about one local day the planner asks again and again, computed once.
struct DayInfo {
  bool open = false;
  bool holiday = false;
  Timestamp open_utc;
  Timestamp close_utc;
  std::vector<std::pair<LocalMinutes, Timestamp>> slots;  // existing local slot starts
  std::vector<NurseShift> nurses;                         // on shift, by username
};

bool Qualified(const NurseShift& n, std::string_view q) {
  return std::find(n.qualifications->begin(), n.qualifications->end(), q) !=
         n.qualifications->end();
}

}  // namespace

struct CapacityIndex::Impl {
  Clinic clinic;
  Lookup lookup = Lookup::kIndexed;
  std::set<int> holidays;
  std::unordered_map<std::string, BusySet> chair_busy;
  std::unordered_map<std::string, BusySet> staff_busy;
  std::vector<BusyInterval> all_busy;  // Lookup::kLinearScan
  std::unordered_map<int, DayInfo> days;

  DayInfo ComputeDay(LocalDate date) const {
    DayInfo d;
    d.holiday = holidays.count(DayNumber(date)) > 0;
    const auto& hours = clinic.hours[std::chrono::weekday(sys_days(date)).c_encoding()];
    if (!hours || d.holiday) return d;
    auto open = LocalToUtc(clinic.time_zone, {date, hours->open});
    auto close = LocalToUtc(clinic.time_zone, {date, hours->close});
    if (!open.ok() || !close.ok()) return d;  // opening at a skipped hour: closed that day
    d.open = true;
    d.open_utc = *open;
    d.close_utc = *close;
    const int step = clinic.slot_minutes;
    const int first = (static_cast<int>(hours->open.count()) + step - 1) / step * step;
    for (int m = first; m < hours->close.count(); m += step) {
      auto t = LocalToUtc(clinic.time_zone, {date, LocalMinutes(m)});
      if (!t.ok()) continue;  // the skipped hour of a spring DST change
      if (!d.slots.empty() && *t <= d.slots.back().second) continue;  // repeated autumn hour
      d.slots.emplace_back(LocalMinutes(m), *t);
    }
    return d;
  }

  void AddShift(const StaffShift& s) {
    auto& d = days[DayNumber(s.date)];
    auto start = LocalToUtc(clinic.time_zone, {s.date, s.start});
    auto end = LocalToUtc(clinic.time_zone, {s.date, s.end});
    if (!start.ok() || !end.ok()) return;
    d.nurses.push_back({s.username, &s.qualifications, *start, *end});
  }

  const DayInfo* Day(LocalDate date) const {
    auto it = days.find(DayNumber(date));
    return it == days.end() ? nullptr : &it->second;
  }

  std::optional<std::pair<Timestamp, Timestamp>> ChairConflict(std::string_view chair, Timestamp s,
                                                               Timestamp e) const {
    if (lookup == Lookup::kLinearScan) {
      for (const auto& b : all_busy) {
        if (b.chair_id == chair && b.start < e && s < b.end) return std::pair(b.start, b.end);
      }
      return std::nullopt;
    }
    auto it = chair_busy.find(std::string(chair));
    if (it == chair_busy.end()) return std::nullopt;
    return it->second.Conflict(s, e);
  }
  std::optional<std::pair<Timestamp, Timestamp>> StaffConflict(std::string_view staff, Timestamp s,
                                                               Timestamp e) const {
    if (lookup == Lookup::kLinearScan) {
      for (const auto& b : all_busy) {
        if (b.staff == staff && b.start < e && s < b.end) return std::pair(b.start, b.end);
      }
      return std::nullopt;
    }
    auto it = staff_busy.find(std::string(staff));
    if (it == staff_busy.end()) return std::nullopt;
    return it->second.Conflict(s, e);
  }

  // A free chair over [s, e): `preferred` when free, else the first free one in clinic order.
  const Chair* FreeChair(Timestamp s, Timestamp e, std::string_view preferred) const {
    if (!preferred.empty()) {
      for (const auto& c : clinic.chairs) {
        if (c.id == preferred && !ChairConflict(c.id, s, e)) return &c;
      }
    }
    for (const auto& c : clinic.chairs) {
      if (!ChairConflict(c.id, s, e)) return &c;
    }
    return nullptr;
  }
  const NurseShift* FreeNurse(const DayInfo& d, Timestamp s, Timestamp e, std::string_view q,
                              std::string_view preferred) const {
    auto fits = [&](const NurseShift& n) {
      return n.start <= s && e <= n.end && Qualified(n, q) && !StaffConflict(n.username, s, e);
    };
    if (!preferred.empty()) {
      for (const auto& n : d.nurses) {
        if (n.username == preferred && fits(n)) return &n;
      }
    }
    for (const auto& n : d.nurses) {
      if (fits(n)) return &n;
    }
    return nullptr;
  }

  void Add(const BusyInterval& b) {
    if (lookup == Lookup::kLinearScan) {
      all_busy.push_back(b);
      return;
    }
    if (!b.chair_id.empty()) chair_busy[b.chair_id].Add(b.start, b.end);
    if (!b.staff.empty()) staff_busy[b.staff].Add(b.start, b.end);
  }
};

CapacityIndex::CapacityIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CapacityIndex::CapacityIndex(CapacityIndex&&) noexcept = default;
CapacityIndex& CapacityIndex::operator=(CapacityIndex&&) noexcept = default;
CapacityIndex::~CapacityIndex() = default;

Result<CapacityIndex> CapacityIndex::Build(const Clinic& clinic, Lookup lookup) {
  KC_RETURN_IF_ERROR(ValidateClinic(clinic));
  auto impl = std::make_unique<Impl>();
  impl->clinic = clinic;
  impl->lookup = lookup;
  for (const auto& h : impl->clinic.holidays) impl->holidays.insert(DayNumber(h));
  std::set<int> shift_days;
  for (const auto& s : impl->clinic.shifts) shift_days.insert(DayNumber(s.date));
  for (int n : shift_days) impl->days[n] = impl->ComputeDay(FromDayNumber(n));
  for (const auto& s : impl->clinic.shifts) impl->AddShift(s);
  for (auto& [n, d] : impl->days) {
    std::sort(d.nurses.begin(), d.nurses.end(),
              [](const NurseShift& a, const NurseShift& b) { return a.username < b.username; });
  }
  for (const auto& b : impl->clinic.busy) impl->Add(b);
  return CapacityIndex(std::move(impl));
}

const Clinic& CapacityIndex::clinic() const { return impl_->clinic; }

void CapacityIndex::Add(const BusyInterval& busy) { impl_->Add(busy); }

void CapacityIndex::Add(const SeriesPlan& plan) {
  for (const auto& s : plan.sessions) impl_->Add({s.chair_id, s.nurse, s.start, s.end});
}

namespace {

std::string LocalClock(const Clinic& c, Timestamp t) {
  auto l = UtcToLocal(c.time_zone, t);
  return l.ok() ? FormatLocalTime(l->time) : "?";
}

}  // namespace

Status CapacityIndex::CheckAppointment(Timestamp start, Minutes minutes, std::string_view chair_id,
                                       std::string_view nurse,
                                       std::string_view qualification) const {
  const Impl& x = *impl_;
  const Timestamp end = Plus(start, minutes);
  if (minutes.value() <= 0) return InvalidArgument("minutes", "must be positive");
  KC_ASSIGN_OR_RETURN(const LocalDateTime local, UtcToLocal(x.clinic.time_zone, start));
  const DayInfo* known = x.Day(local.date);
  const DayInfo computed = known ? DayInfo{} : x.ComputeDay(local.date);
  const DayInfo& day = known ? *known : computed;
  const std::string date = FormatDate(local.date);
  if (day.holiday) return Status(StatusCode::kFailedPrecondition, date + " is a holiday", "start");
  if (!day.open) {
    return Status(StatusCode::kFailedPrecondition, "the clinic is closed on " + date, "start");
  }
  if (start < day.open_utc || end > day.close_utc) {
    return Status(StatusCode::kFailedPrecondition,
                  "outside opening hours " + LocalClock(x.clinic, day.open_utc) + "-" +
                      LocalClock(x.clinic, day.close_utc) + " on " + date,
                  "start");
  }
  if (std::none_of(x.clinic.chairs.begin(), x.clinic.chairs.end(),
                   [&](const Chair& c) { return c.id == chair_id; })) {
    return Status(StatusCode::kFailedPrecondition, "there is no chair " + std::string(chair_id),
                  "chair_id");
  }
  if (auto c = x.ChairConflict(chair_id, start, end)) {
    return Status(StatusCode::kFailedPrecondition,
                  "chair " + std::string(chair_id) + " is booked " +
                      LocalClock(x.clinic, c->first) + "-" + LocalClock(x.clinic, c->second) +
                      " on " + date,
                  "chair_id");
  }
  const NurseShift* shift = nullptr;
  for (const auto& n : day.nurses) {
    if (n.username == nurse && n.start <= start && end <= n.end) shift = &n;
  }
  if (shift == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  std::string(nurse) + " is not on shift for the whole appointment", "nurse");
  }
  if (!Qualified(*shift, qualification)) {
    return Status(StatusCode::kFailedPrecondition,
                  std::string(nurse) + " is not qualified for " + std::string(qualification),
                  "nurse");
  }
  if (auto c = x.StaffConflict(nurse, start, end)) {
    return Status(StatusCode::kFailedPrecondition,
                  std::string(nurse) + " is booked " + LocalClock(x.clinic, c->first) + "-" +
                      LocalClock(x.clinic, c->second) + " on " + date,
                  "nurse");
  }
  return Status::Ok();
}

std::vector<PlannedSession> CapacityIndex::FreeSlotsOn(LocalDate date, Minutes minutes,
                                                       std::string_view qualification,
                                                       std::string_view chair,
                                                       std::string_view nurse) const {
  std::vector<PlannedSession> out;
  const DayInfo* d = impl_->Day(date);
  if (d == nullptr || !d->open) return out;
  for (const auto& [local, start] : d->slots) {
    const Timestamp end = Plus(start, minutes);
    if (end > d->close_utc) break;
    const NurseShift* n = impl_->FreeNurse(*d, start, end, qualification, nurse);
    if (n == nullptr) continue;
    const Chair* c = impl_->FreeChair(start, end, chair);
    if (c == nullptr) continue;
    out.push_back({0, start, end, date, local, c->id, n->username});
  }
  return out;
}

namespace {

struct Preferences {
  std::optional<LocalMinutes> time;
  std::string chair;
  std::string nurse;
};

// The best free slot of a day: the fewest continuity breaks first, then the closest to the
// preferred time (or the earliest), never before not_before.
std::optional<PlannedSession> BestSlot(const CapacityIndex& capacity, LocalDate date,
                                       const Protocol& p, const Preferences& pref,
                                       const PlanOptions& options) {
  std::optional<PlannedSession> best;
  std::pair<int, int64_t> best_score{};
  for (auto& s : capacity.FreeSlotsOn(date, p.appointment_minutes, p.required_qualification,
                                      pref.chair, pref.nurse)) {
    if (options.not_before && s.start < *options.not_before) continue;
    const int breaks = (!pref.chair.empty() && s.chair_id != pref.chair) +
                       (!pref.nurse.empty() && s.nurse != pref.nurse);
    const int64_t distance =
        pref.time ? std::abs(static_cast<int64_t>((s.time - *pref.time).count())) : 0;
    const std::pair<int, int64_t> score{breaks, distance};
    if (!best || score < best_score) {
      best = std::move(s);
      best_score = score;
    }
  }
  return best;
}

// Whether a day has any bookable slot for the protocol, memoised for one PlanSeries call.
class DayProbe {
 public:
  DayProbe(const CapacityIndex& capacity, const Protocol& p, const PlanOptions& options)
      : capacity_(capacity), p_(p), options_(options) {}
  bool Bookable(int day) {
    auto it = memo_.find(day);
    if (it != memo_.end()) return it->second;
    bool any = false;
    for (const auto& s : capacity_.FreeSlotsOn(FromDayNumber(day), p_.appointment_minutes,
                                               p_.required_qualification)) {
      if (!options_.not_before || s.start >= *options_.not_before) {
        any = true;
        break;
      }
    }
    memo_[day] = any;
    return any;
  }

 private:
  const CapacityIndex& capacity_;
  const Protocol& p_;
  const PlanOptions& options_;
  std::unordered_map<int, bool> memo_;
};

// Greedy induction dates from `first`: each session on the earliest bookable day at least
// min_gap_days whole days after the one before, skipping to the next series week when this one
// has per_week_max. Earliest-first is optimal here: every rule only bounds a session from below
// by the one before, so an earlier session never makes a later one impossible.
std::vector<int> InductionDays(const Protocol& p, int first, DayProbe& probe) {
  std::vector<int> out{first};
  std::vector<int> per_week(p.window_days / 7 + 2, 0);
  per_week[0] = 1;
  int day = first;
  while (static_cast<int>(out.size()) < p.sessions) {
    day += p.min_gap_days + 1;
    while (true) {
      if (day - first >= p.window_days) return out;
      const int week = (day - first) / 7;
      if (per_week[week] >= p.per_week_max) {
        day = first + (week + 1) * 7;
        continue;
      }
      if (probe.Bookable(day)) break;
      ++day;
    }
    out.push_back(day);
    ++per_week[(day - first) / 7];
  }
  return out;
}

// Staged dates from `first`: session k+1 due interval_days after session k, booked on the first
// bookable day in [due, due + max(1, interval / 2)]. Second of the pair: the due days.
std::pair<std::vector<int>, std::vector<int>> StagedDays(const Protocol& p, int first,
                                                         DayProbe& probe) {
  std::vector<int> intervals;
  for (const auto& s : p.stages) {
    const int n = s.weeks == 0 ? p.open_ended_sessions
                               : std::max(1, s.weeks * 7 / std::max(1, s.interval_days));
    for (int i = 0; i < n; ++i) intervals.push_back(s.interval_days);
  }
  std::vector<int> out{first};
  std::vector<int> due{first};
  // The first session opens the schedule; the intervals lead to the sessions after it.
  for (size_t k = 0; k + 1 < intervals.size(); ++k) {
    const int target = out.back() + intervals[k];
    const int slack = std::max(1, intervals[k] / 2);
    int found = -1;
    for (int d = target; d <= target + slack; ++d) {
      if (probe.Bookable(d)) {
        found = d;
        break;
      }
    }
    if (found < 0) return {out, due};
    out.push_back(found);
    due.push_back(target);
  }
  return {out, due};
}

std::string Plural(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

Result<SeriesPlan> PlanSeries(const Protocol& protocol, const Clinic& clinic, LocalDate start,
                              const PlanOptions& options) {
  KC_ASSIGN_OR_RETURN(CapacityIndex capacity, CapacityIndex::Build(clinic));
  return PlanSeries(protocol, capacity, start, options);
}

Result<SeriesPlan> PlanSeries(const Protocol& p, const CapacityIndex& capacity, LocalDate start,
                              const PlanOptions& options) {
  KC_RETURN_IF_ERROR(ValidateProtocol(p));
  if (!start.ok()) return InvalidArgument("start", "is not a date");
  if (options.search_days < 1 || options.search_days > 366) {
    return InvalidArgument("search_days", "must be 1-366");
  }
  const int total = PlannedSessionCount(p);
  DayProbe probe(capacity, p, options);
  const int first_day = DayNumber(start);
  std::vector<int> dates;
  std::vector<int> due;
  std::vector<int> best_partial;
  for (int d = first_day; d < first_day + options.search_days; ++d) {
    if (!probe.Bookable(d)) continue;
    if (IsStaged(p)) {
      std::tie(dates, due) = StagedDays(p, d, probe);
    } else {
      dates = InductionDays(p, d, probe);
    }
    if (static_cast<int>(dates.size()) == total) break;
    if (dates.size() > best_partial.size()) best_partial = dates;
    dates.clear();
  }
  if (dates.empty()) {
    const std::string range =
        FormatDate(start) + " to " + FormatDate(FromDayNumber(first_day + options.search_days - 1));
    if (best_partial.empty()) {
      return FailedPrecondition("No valid " + p.id + " series: no chair and " +
                                p.required_qualification + "-qualified nurse are free for " +
                                std::to_string(static_cast<int>(p.appointment_minutes.value())) +
                                " minutes inside opening hours on any day from " + range);
    }
    const std::string rules =
        IsStaged(p) ? "each session within half an interval of its due date"
                    : "within " + Plural(p.window_days, "day", "days") + ", at most " +
                          std::to_string(p.per_week_max) + " a week and " +
                          Plural(p.min_gap_days, "day", "days") + " between sessions";
    return FailedPrecondition("No valid " + p.id + " series starting " + range + ": at best " +
                              std::to_string(best_partial.size()) + " of " + std::to_string(total) +
                              " sessions fit (" + rules +
                              ") in the clinic's free capacity; no rule was bent");
  }

  SeriesPlan plan;
  plan.protocol_id = p.id;
  Preferences pref{options.preferred_time, options.preferred_chair, options.preferred_nurse};
  for (size_t i = 0; i < dates.size(); ++i) {
    const LocalDate date = FromDayNumber(dates[i]);
    auto slot = BestSlot(capacity, date, p, pref, options);
    if (!slot) return Internal("a bookable day has no slot");  // DayProbe said it had one
    slot->number = static_cast<int>(i) + 1;
    const std::string n = "Session " + std::to_string(slot->number);
    if (options.preferred_time && slot->time != *options.preferred_time) {
      plan.bent.push_back(n + " on " + FormatDate(date) + " is at " + FormatLocalTime(slot->time) +
                          ", not the preferred " + FormatLocalTime(*options.preferred_time) +
                          ": no chair and qualified nurse were free then.");
    }
    if (!pref.chair.empty() && slot->chair_id != pref.chair) {
      plan.bent.push_back(n + " on " + FormatDate(date) + " is in " + slot->chair_id + ", not " +
                          pref.chair + ": " + pref.chair + " was booked at that time.");
    }
    if (!pref.nurse.empty() && slot->nurse != pref.nurse) {
      plan.bent.push_back(n + " on " + FormatDate(date) + " is with " + slot->nurse + ", not " +
                          pref.nurse + ": " + pref.nurse +
                          " was booked or off shift at that time.");
    }
    if (IsStaged(p) && i < due.size() && dates[i] > due[i]) {
      plan.bent.push_back(n + " is on " + FormatDate(date) + ", " +
                          Plural(dates[i] - due[i], "day", "days") + " after it is due (" +
                          FormatDate(FromDayNumber(due[i])) +
                          "): no chair and qualified nurse were free earlier.");
    }
    if (options.keep_chair && pref.chair.empty()) pref.chair = slot->chair_id;
    if (options.keep_nurse && pref.nurse.empty()) pref.nurse = slot->nurse;
    plan.sessions.push_back(std::move(*slot));
  }
  if (!IsStaged(p) && p.per_week_min > 0) {
    // The weekly minimum is soft (CLINICAL.md §3: 2-3 a week): weeks before the last one that
    // fall short are said, never filled by breaking a hard rule.
    const int last_week = (dates.back() - dates.front()) / 7;
    for (int w = 0; w < last_week; ++w) {
      const auto count = std::count_if(dates.begin(), dates.end(),
                                       [&](int d) { return (d - dates.front()) / 7 == w; });
      if (count < p.per_week_min) {
        plan.bent.push_back("Week " + std::to_string(w + 1) + " of the series has " +
                            Plural(static_cast<int>(count), "session", "sessions") +
                            ", fewer than the protocol's " + std::to_string(p.per_week_min) +
                            " a week: no chair and qualified nurse were free on the other days.");
      }
    }
  }
  return plan;
}

std::vector<PlannedSession> NextFreeSlots(const CapacityIndex& capacity, Timestamp after,
                                          Minutes minutes, std::string_view qualification, int n) {
  std::vector<PlannedSession> out;
  if (n <= 0) return out;
  auto local = UtcToLocal(capacity.clinic().time_zone, after);
  if (!local.ok()) return out;
  const int first = DayNumber(local->date);
  for (int d = first; d < first + 60 && static_cast<int>(out.size()) < n; ++d) {
    for (auto& s : capacity.FreeSlotsOn(FromDayNumber(d), minutes, qualification)) {
      if (s.start < after) continue;
      out.push_back(std::move(s));
      if (static_cast<int>(out.size()) == n) break;
    }
  }
  return out;
}

Result<std::vector<PlannedSession>> NextFreeSlots(const Clinic& clinic, Timestamp after,
                                                  Minutes minutes, std::string_view qualification,
                                                  int n) {
  if (n < 1 || n > 100) return InvalidArgument("n", "must be 1-100");
  if (minutes.value() < 1 || minutes.value() > 1440) {
    return InvalidArgument("minutes", "must be 1-1440");
  }
  KC_ASSIGN_OR_RETURN(CapacityIndex capacity, CapacityIndex::Build(clinic));
  return NextFreeSlots(capacity, after, minutes, qualification, n);
}

Status CheckSeriesDates(const Protocol& p, const std::vector<LocalDate>& dates) {
  auto field = [](size_t i) { return "sessions[" + std::to_string(i) + "].date"; };
  for (size_t i = 0; i < dates.size(); ++i) {
    if (!dates[i].ok()) return InvalidArgument(field(i), "is not a date");
  }
  if (static_cast<int>(dates.size()) != PlannedSessionCount(p)) {
    return InvalidArgument(
        "sessions", "the protocol has " + std::to_string(PlannedSessionCount(p)) + " sessions");
  }
  if (dates.empty()) return Status::Ok();
  const int first = DayNumber(dates[0]);
  std::vector<int> per_week(400, 0);
  for (size_t i = 0; i < dates.size(); ++i) {
    const int d = DayNumber(dates[i]);
    if (i > 0) {
      const int gap = d - DayNumber(dates[i - 1]) - 1;
      if (gap < p.min_gap_days) {
        return InvalidArgument(field(i), "must be at least " +
                                             Plural(p.min_gap_days, "whole day", "whole days") +
                                             " after the session before (CLINICAL.md §3)");
      }
    }
    if (!IsStaged(p)) {
      if (d - first >= p.window_days) {
        return InvalidArgument(field(i), "must be within " + Plural(p.window_days, "day", "days") +
                                             " of the first session");
      }
      const int week = (d - first) / 7;
      if (++per_week[week] > p.per_week_max) {
        return InvalidArgument(field(i), "makes more than " + std::to_string(p.per_week_max) +
                                             " sessions in week " + std::to_string(week + 1) +
                                             " of the series");
      }
    }
  }
  return Status::Ok();
}

}  // namespace kclinic::domain::schedule
