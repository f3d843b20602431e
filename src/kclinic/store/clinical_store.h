// Internal to store/: the SOCI repositories of the clinical areas (courses, assessments, alerts,
// screening), written once for SQLite and PostgreSQL and handed out by SociTransaction.
#pragma once

#include <soci/soci.h>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kclinic/base/clock.h"
#include "kclinic/base/enum_codes.h"
#include "kclinic/domain/ports.h"

namespace kclinic::store {

// A timestamp as the stores keep it (UTC text, base/clock.h) and back. A text that does not parse
// reads as the epoch: the columns are written only by Ts.
inline std::string Ts(Timestamp t) { return FormatTimestamp(t); }
inline Timestamp ParseTs(const std::string& s) { return ParseTimestamp(s).value_or(Timestamp{}); }

// Turns a driver exception into a Status the caller can act on (defined in soci_common.cc). Only
// Internal statuses carry the driver's text: a constraint message can quote patient data.
Status FromSociException(const std::exception& e, std::string_view what);

// Runs `f`, turning any exception into a Status.
template <typename F>
auto Guard(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return FromSociException(e, what);
  }
}

// The enum of a code read from `column`. A code no version of kclinic wrote throws, which Guard
// answers as Internal (the schema's CHECK constraints keep such rows out).
template <CodedEnum E>
E StoredCode(const std::string& code, std::string_view column) {
  if (auto e = ParseCode<E>(code)) return *e;
  throw std::runtime_error("an unknown " + std::string(column) + " code is stored");
}

std::unique_ptr<domain::CareRepository> MakeCareRepository(soci::session& sql);
std::unique_ptr<domain::IdempotencyRepository> MakeIdempotencyRepository(soci::session& sql);
std::unique_ptr<domain::ScreeningRepository> MakeScreeningRepository(soci::session& sql);
std::unique_ptr<domain::InfusionRepository> MakeInfusionRepository(
    soci::session& sql);  // infusion_store.cc
std::unique_ptr<domain::LedgerRepository> MakeLedgerRepository(
    soci::session& sql);  // ledger_store.cc
std::unique_ptr<domain::ScheduleRepository> MakeScheduleRepository(
    soci::session& sql);  // schedule_store.cc

}  // namespace kclinic::store
