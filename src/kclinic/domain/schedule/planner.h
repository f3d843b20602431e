// The series planner (issue 6, CLINICAL.md §3): the earliest valid series of a protocol in a
// clinic's free capacity. Hard rules are never bent: inside opening hours (start and end), not on
// a holiday, a chair free and a nurse with the protocol's qualification on shift and free for
// the whole appointment, the protocol's minimum gap, weekly maximum and window. Soft rules may be
// bent and each bend is said in one sentence: the weekly minimum, the preferred time of day, the
// same chair and nurse throughout. Pure: no clock, no I/O.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic::domain::schedule {

// One appointment the planner proposes (or a free slot NextFreeSlots offers).
struct PlannedSession {
  int number = 0;  // 1-based within the series (0 for a free slot)
  Timestamp start;
  Timestamp end;
  LocalDate date;     // local to the clinic
  LocalMinutes time;  // local start, minutes since midnight
  std::string chair_id;
  std::string nurse;  // username
};

struct SeriesPlan {
  std::string protocol_id;
  std::vector<PlannedSession> sessions;
  std::vector<std::string> bent;  // one plain sentence per soft rule bent, in session order
};

struct PlanOptions {
  // No session starts before this instant (e.g. now); nullopt: no limit.
  std::optional<Timestamp> not_before;
  // Soft: start each session as close as possible to this local time (ties: the earlier slot);
  // nullopt: the earliest free slot of the day.
  std::optional<LocalMinutes> preferred_time;
  // Soft: keep the first session's chair and nurse (or these, when given) for the whole series.
  bool keep_chair = true;
  bool keep_nurse = true;
  std::string preferred_chair;
  std::string preferred_nurse;
  // The first session is searched on [start, start + search_days).
  int search_days = 28;
};

// How CapacityIndex answers "is this chair / nurse free over [a, b)?".
enum class Lookup {
  kIndexed,     // per-resource ordered interval maps: O(log n) per question
  kLinearScan,  // scans every busy interval: the benchmark's reference, same answers
};

// Free capacity of a clinic: its opening hours, shifts and busy intervals, indexed per chair and
// per nurse so that planning many series in a row stays fast. Add() each planned series before
// planning the next. Not thread-safe for writes; const methods may run concurrently.
class CapacityIndex {
 public:
  // InvalidArgument as ValidateClinic.
  static Result<CapacityIndex> Build(const Clinic& clinic, Lookup lookup = Lookup::kIndexed);
  CapacityIndex(CapacityIndex&&) noexcept;
  CapacityIndex& operator=(CapacityIndex&&) noexcept;
  ~CapacityIndex();

  const Clinic& clinic() const;

  // Marks [start, end) busy for its chair and its staff member.
  void Add(const BusyInterval& busy);
  // Adds every session of the plan (chair and nurse).
  void Add(const SeriesPlan& plan);

  // OK when an appointment of `minutes` starting at `start` in `chair_id` with `nurse` breaks no
  // hard clinic rule; otherwise FailedPrecondition whose message names the clash ("chair chair-2
  // is booked 09:00-11:00", "outside opening hours 08:00-18:00", "2026-12-25 is a holiday",
  // "nurse-1 is not on shift", "nurse-1 is not qualified for iv"...) and whose field is
  // "start", "chair_id" or "nurse".
  Status CheckAppointment(Timestamp start, Minutes minutes, std::string_view chair_id,
                          std::string_view nurse, std::string_view qualification) const;

  // Every bookable appointment start on local `date` (in slot order; for each, the first free
  // chair and qualified nurse by id, preferring `chair` and `nurse` when they are free).
  std::vector<PlannedSession> FreeSlotsOn(LocalDate date, Minutes minutes,
                                          std::string_view qualification,
                                          std::string_view chair = {},
                                          std::string_view nurse = {}) const;

 private:
  struct Impl;
  explicit CapacityIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The earliest valid series of `protocol` whose first session is on or after local `start`.
// InvalidArgument (naming the field) for an invalid protocol or clinic; FailedPrecondition with a
// sentence saying why when no valid series exists (no hard rule is ever bent).
Result<SeriesPlan> PlanSeries(const Protocol& protocol, const Clinic& clinic, LocalDate start,
                              const PlanOptions& options = {});
// The same against a prebuilt index (the caller Add()s the result to plan the next patient).
Result<SeriesPlan> PlanSeries(const Protocol& protocol, const CapacityIndex& capacity,
                              LocalDate start, const PlanOptions& options = {});

// The next `n` bookable appointments of `minutes` starting at or after `after`, for "offer the
// next free slot" when a session is cancelled or moved; searches 60 days ahead. One per start
// time (the first free chair and qualified nurse). InvalidArgument for a bad clinic.
Result<std::vector<PlannedSession>> NextFreeSlots(const Clinic& clinic, Timestamp after,
                                                  Minutes minutes, std::string_view qualification,
                                                  int n);
std::vector<PlannedSession> NextFreeSlots(const CapacityIndex& capacity, Timestamp after,
                                          Minutes minutes, std::string_view qualification, int n);

// The protocol's date rules (minimum gap, weekly maximum, window, count) checked on the local
// dates of a series a person adjusted. InvalidArgument with field "sessions[i].date" naming the
// first session that breaks a rule, and the rule in the message.
Status CheckSeriesDates(const Protocol& protocol, const std::vector<LocalDate>& dates);

}  // namespace kclinic::domain::schedule
