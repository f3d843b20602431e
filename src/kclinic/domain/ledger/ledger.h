// The controlled-substance ledger (CLINICAL.md §7; ketamine is DEA Schedule III). Pure rules, no
// I/O: lots received from a supplier, append-only entries against a lot, the balance DERIVED from
// the entries, per-session custody reconciliation, counts and the discrepancies they open, and the
// 1-business-day loss/theft report deadline.
//
// Balance of a lot = receipts − draws − transfers out + returns ± adjustments. Administer and waste
// are custody records against a session's draws (they do not move stock: the drawn syringe has
// already left the lot); per session, drawn = administered + wasted + returned. Counts record what
// was counted and do not move stock either; a difference opens a discrepancy.
//
// Entries are never deleted by kclinic (the retention setting ledger.retention_years only says how
// long they must at least be kept: DEA Practitioner's Manual, ≥ 2 years).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/base/clock.h"
#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/base/units.h"

namespace kclinic::domain::ledger {

enum class EntryKind {
  kReceipt,      // vials received into a lot (+)
  kDraw,         // drawn from a vial for a session (−)
  kAdminister,   // custody: given to the session's patient (0)
  kWaste,        // custody: the remainder destroyed with a witness (0)
  kCount,        // a physical count; amount = counted (0)
  kAdjustment,   // signed correction with reason and witness (±)
  kTransferOut,  // sent to another registrant or reverse distributor (−)
  kReturn,       // an undrawn/unused amount put back into the lot (+)
};
std::string_view KindName(EntryKind kind);
std::optional<EntryKind> ParseKind(std::string_view name);

struct Supplier {
  std::string name;
  std::string address;
  std::string dea_number;
};

struct Lot {
  std::string id;              // 32 hex
  std::string product;         // e.g. "ketamine hydrochloride injection"
  MgPerMl strength{0};         // mg per mL
  Milliliters vial_volume{0};  // mL per vial
  std::string lot_number;      // the manufacturer's
  std::chrono::year_month_day expiry{};
  Supplier supplier;
  int vials_received = 0;
  Timestamp received_at{};
  std::string received_by;
};

struct Entry {
  std::string id;  // 32 hex
  std::string lot_id;
  int64_t seq = 0;  // 1, 2, ... per lot (UNIQUE with lot_id in the store)
  EntryKind kind = EntryKind::kReceipt;
  Milligrams amount_mg{0};   // positive; signed only for adjustments; the counted amount for counts
  Milliliters amount_ml{0};  // amount_mg / the lot's strength
  Timestamp at{};
  std::string by;                       // username
  std::string witness;                  // username; required for waste and adjustment
  std::string session_id;               // draw/administer/waste/return
  std::optional<PatientId> patient_id;  // draw/administer/waste/return
  std::string reason;                   // reason or note
  Milligrams balance_after{0};  // the lot's balance after this entry (a check, not the source)
};

// What an entry does to the lot's stock balance (0 for custody records and counts).
Milligrams BalanceEffect(const Entry& entry);
// The balance derived from entries: receipts − draws − transfers out + returns ± adjustments.
Milligrams DerivedBalance(std::span<const Entry> entries);

// The vial contents of a lot in mg (strength × volume × vials).
Milligrams ReceivedAmount(const Lot& lot);
Milliliters ToMilliliters(const Lot& lot, Milligrams amount);
bool IsExpired(const Lot& lot, std::chrono::year_month_day today);

// Checks an entry before it is appended to a lot whose current balance is `balance`: amounts must
// be positive (adjustments non-zero), witness/reason/session where required, and no entry may take
// the balance below zero (FailedPrecondition "amount_mg: exceeds the lot's balance of N mg").
// Draws from an expired lot are refused. Errors name their field.
Status CheckEntry(const Lot& lot, const Entry& entry, Milligrams balance,
                  std::chrono::year_month_day today);

// Fills seq and balance_after of `entry` from the previous entry of the lot (nullopt: first).
void Chain(Entry& entry, const std::optional<Entry>& previous);

// The DEA registration number: two letters then seven digits whose last is the check digit
// ((d1+d3+d5) + 2×(d2+d4+d6)) mod 10 (DEA Practitioner's Manual, registration).
bool ValidDeaNumber(std::string_view dea);

// Custody of one session: drawn = administered + wasted + returned, else a discrepancy.
struct SessionCustody {
  std::string session_id;
  std::optional<PatientId> patient_id;
  Milligrams drawn{0}, administered{0}, wasted{0}, returned{0};
  bool reconciles() const;
};
std::vector<SessionCustody> Custody(std::span<const Entry> entries);

// A count or custody difference, or any loss. Must be reported within
// ledger.loss_report_business_days business days (CLINICAL.md §7: theft or significant loss within
// 1 business day; Form 106 within 45 days).
struct Discrepancy {
  std::string id;
  std::string lot_id;
  std::string kind;        // "count" | "custody"
  std::string entry_id;    // the count entry that found it (may be empty)
  std::string session_id;  // custody discrepancies
  Milligrams expected{0}, counted{0};
  Timestamp detected_at{};
  std::string detected_by;
  Timestamp report_due{};
  std::optional<Timestamp> resolved_at;
  std::string resolved_by;
  std::string resolution;
  bool reported_to_dea = false;
  Milligrams difference() const { return Milligrams(counted.value() - expected.value()); }
  bool open() const { return !resolved_at.has_value(); }
};

// `detected` plus `business_days` days, skipping Saturdays and Sundays (same time of day).
Timestamp ReportDue(Timestamp detected, int business_days);
bool Overdue(const Discrepancy& d, Timestamp now);

// Result of a count: counted − expected; a non-zero difference (beyond rounding, 0.001 mg) means
// a discrepancy must be opened.
bool CountDiffers(Milligrams expected, Milligrams counted);

}  // namespace kclinic::domain::ledger
