#include "kclinic/domain/ledger/ledger.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace kclinic::domain::ledger {

namespace {

// Amounts are compared to the microgram: stored as REAL, summed in double.
constexpr double kEpsilonMg = 0.001;

struct KindNameRow {
  EntryKind kind;
  std::string_view name;
};
constexpr KindNameRow kKindNames[] = {
    {EntryKind::kReceipt, "receipt"},
    {EntryKind::kDraw, "draw"},
    {EntryKind::kAdminister, "administer"},
    {EntryKind::kWaste, "waste"},
    {EntryKind::kCount, "count"},
    {EntryKind::kAdjustment, "adjustment"},
    {EntryKind::kTransferOut, "transfer_out"},
    {EntryKind::kReturn, "return"},
};

std::string FormatMg(double mg) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", std::round(mg * 1000) / 1000);
  return buf;
}

Status FieldError(StatusCode code, std::string field, std::string message) {
  return Status(code, std::move(message), std::move(field));
}

}  // namespace

std::string_view KindName(EntryKind kind) {
  for (const auto& row : kKindNames) {
    if (row.kind == kind) return row.name;
  }
  return "unknown";
}

std::optional<EntryKind> ParseKind(std::string_view name) {
  for (const auto& row : kKindNames) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

Milligrams BalanceEffect(const Entry& entry) {
  switch (entry.kind) {
    case EntryKind::kReceipt:
    case EntryKind::kReturn:
      return entry.amount_mg;
    case EntryKind::kDraw:
    case EntryKind::kTransferOut:
      return Milligrams(-entry.amount_mg.value());
    case EntryKind::kAdjustment:
      return entry.amount_mg;  // signed
    case EntryKind::kAdminister:
    case EntryKind::kWaste:
    case EntryKind::kCount:
      return Milligrams(0);
  }
  return Milligrams(0);
}

Milligrams DerivedBalance(std::span<const Entry> entries) {
  double sum = 0;
  for (const auto& e : entries) sum += BalanceEffect(e).value();
  return Milligrams(sum);
}

Milligrams ReceivedAmount(const Lot& lot) {
  return Milligrams(lot.strength.value() * lot.vial_volume.value() * lot.vials_received);
}

Milliliters ToMilliliters(const Lot& lot, Milligrams amount) {
  if (lot.strength.value() <= 0) return Milliliters(0);
  return Milliliters(amount.value() / lot.strength.value());
}

bool IsExpired(const Lot& lot, std::chrono::year_month_day today) {
  // A vial may be used through its expiry date, not after it.
  return std::chrono::sys_days(today) > std::chrono::sys_days(lot.expiry);
}

Status CheckEntry(const Lot& lot, const Entry& entry, Milligrams balance,
                  std::chrono::year_month_day today) {
  const double amount = entry.amount_mg.value();
  if (!std::isfinite(amount)) {
    return InvalidArgument("amount_mg", "amount_mg must be a number");
  }
  if (entry.kind == EntryKind::kAdjustment) {
    if (std::abs(amount) < kEpsilonMg) {
      return InvalidArgument("amount_mg", "an adjustment must not be zero");
    }
  } else if (entry.kind == EntryKind::kCount) {
    if (amount < 0) return InvalidArgument("counted_mg", "counted_mg must not be negative");
  } else if (amount < kEpsilonMg) {
    return InvalidArgument("amount_mg", "amount_mg must be positive");
  }
  if (amount > 1e7 || amount < -1e7) {
    return InvalidArgument("amount_mg", "amount_mg is implausibly large");
  }
  const bool session_kind = entry.kind == EntryKind::kDraw ||
                            entry.kind == EntryKind::kAdminister ||
                            entry.kind == EntryKind::kWaste || entry.kind == EntryKind::kReturn;
  if (session_kind && (entry.session_id.empty() || !entry.patient_id)) {
    return InvalidArgument("session_id", "a session entry names its session and patient");
  }
  // CLINICAL.md §7: waste with a witness; adjustments (a change to the record) likewise.
  if ((entry.kind == EntryKind::kWaste || entry.kind == EntryKind::kAdjustment)) {
    if (entry.witness.empty()) {
      return InvalidArgument("witness_username", "a witness is required");
    }
    if (entry.witness == entry.by) {
      return InvalidArgument("witness_username", "the witness must be another person");
    }
  }
  if ((entry.kind == EntryKind::kAdjustment || entry.kind == EntryKind::kTransferOut) &&
      entry.reason.empty()) {
    return InvalidArgument("reason", "a reason is required");
  }
  if (entry.kind == EntryKind::kDraw && IsExpired(lot, today)) {
    return FieldError(StatusCode::kFailedPrecondition, "lot_id",
                      "lot_id: the lot expired on " + FormatDate(lot.expiry));
  }
  const double after = balance.value() + BalanceEffect(entry).value();
  if (after < -kEpsilonMg) {
    return FieldError(
        StatusCode::kFailedPrecondition, "amount_mg",
        "amount_mg: exceeds the lot's balance of " + FormatMg(balance.value()) + " mg");
  }
  return Status::Ok();
}

void Chain(Entry& entry, const std::optional<Entry>& previous) {
  entry.seq = previous ? previous->seq + 1 : 1;
  const double before = previous ? previous->balance_after.value() : 0.0;
  double after = before + BalanceEffect(entry).value();
  if (std::abs(after) < kEpsilonMg / 10) after = 0;
  entry.balance_after = Milligrams(after);
}

bool ValidDeaNumber(std::string_view dea) {
  if (dea.size() != 9) return false;
  if (!std::isalpha(static_cast<unsigned char>(dea[0])) ||
      !std::isalpha(static_cast<unsigned char>(dea[1]))) {
    return false;
  }
  int d[7];
  for (int i = 0; i < 7; ++i) {
    const char c = dea[2 + i];
    if (c < '0' || c > '9') return false;
    d[i] = c - '0';
  }
  const int sum = (d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5]);
  return sum % 10 == d[6];
}

bool SessionCustody::reconciles() const {
  return std::abs(drawn.value() - (administered.value() + wasted.value() + returned.value())) <
         kEpsilonMg;
}

std::vector<SessionCustody> Custody(std::span<const Entry> entries) {
  std::vector<SessionCustody> out;
  std::map<std::string, size_t> index;
  for (const auto& e : entries) {
    if (e.session_id.empty()) continue;
    auto [it, inserted] = index.emplace(e.session_id, out.size());
    if (inserted) {
      out.push_back({.session_id = e.session_id, .patient_id = e.patient_id});
    }
    SessionCustody& c = out[it->second];
    const double a = e.amount_mg.value();
    switch (e.kind) {
      case EntryKind::kDraw:
        c.drawn = Milligrams(c.drawn.value() + a);
        break;
      case EntryKind::kAdminister:
        c.administered = Milligrams(c.administered.value() + a);
        break;
      case EntryKind::kWaste:
        c.wasted = Milligrams(c.wasted.value() + a);
        break;
      case EntryKind::kReturn:
        c.returned = Milligrams(c.returned.value() + a);
        break;
      default:
        break;
    }
  }
  return out;
}

Timestamp ReportDue(Timestamp detected, int business_days) {
  using std::chrono::days;
  const auto day = std::chrono::floor<days>(detected);
  const auto time_of_day = detected - day;
  std::chrono::sys_days d = day;
  int left = business_days;
  while (left > 0) {
    d += days(1);
    const std::chrono::weekday wd(d);
    if (wd != std::chrono::Saturday && wd != std::chrono::Sunday) --left;
  }
  return Timestamp(d) + time_of_day;
}

bool Overdue(const Discrepancy& d, Timestamp now) {
  // Reported (or otherwise resolved) discrepancies are no longer overdue.
  return d.open() && now > d.report_due;
}

bool CountDiffers(Milligrams expected, Milligrams counted) {
  return std::abs(counted.value() - expected.value()) >= kEpsilonMg;
}

}  // namespace kclinic::domain::ledger
