// Controlled-substance ledger use cases (CLINICAL.md §7, issue 5). Two layers:
//
//  * Functions that run INSIDE a caller's open write transaction (the session service's), so that a
//    draw, the administered amount and the waste are committed with the session change that causes
//    them: LedgerDraw, LedgerAdminister, LedgerWaste, LedgerReturn, LedgerForSession. They check
//    the actor's permission (kSessionWrite or kLedgerWrite to write, kSessionRead or kLedgerRead to
//    read) and patient reach, and append audit events for the caller's transaction.
//  * CheckWitness, which runs BEFORE the caller's transaction, in its own: a witness's failures
//    must be counted and audited whatever the caller does next.
//  * LedgerService: the ledger pages and routes (receipts, counts, adjustments, transfers,
//    discrepancies, the report and the inventory), each in its own transaction.
//
// Concurrency: appending an entry locks the lot (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
// write transaction is BEGIN IMMEDIATE) and chains the entry to the previous one (seq per lot,
// UNIQUE(lot_id, seq); balance_after_mg CHECK >= 0), so two nurses drawing from the same lot at
// the same moment cannot overdraw it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/app/app.h"
#include "kclinic/domain/ledger/ledger.h"

namespace kclinic::app {

// --- Inside a caller's write transaction -------------------------------------------------------

// Draws `amount` from lot `lot_id` for session `session_id` of `patient`. NotFound (field
// "lot_id") for an unknown lot; FailedPrecondition "amount_mg: exceeds the lot's balance of N mg"
// on overdraw; FailedPrecondition (field "lot_id") for an expired lot; InvalidArgument for amount
// <= 0 (field "amount_mg").
Result<domain::ledger::Entry> LedgerDraw(const Env& env, domain::Transaction& tx,
                                         const domain::Actor& actor, std::string_view lot_id,
                                         Milligrams amount, std::string_view session_id,
                                         const PatientId& patient);
// Custody record: the amount given to the patient (computed by the session from rate segments).
// Does not move stock. FailedPrecondition (field "amount_mg") when the session's administered +
// wasted + returned would exceed what it drew from that lot.
Result<domain::ledger::Entry> LedgerAdminister(const Env& env, domain::Transaction& tx,
                                               const domain::Actor& actor, std::string_view lot_id,
                                               Milligrams amount, std::string_view session_id,
                                               const PatientId& patient);
// Custody record: the remainder destroyed, with `witness_username` already verified by
// CheckWitness. Same checks as LedgerAdminister; field "witness_username" when it names the actor.
Result<domain::ledger::Entry> LedgerWaste(const Env& env, domain::Transaction& tx,
                                          const domain::Actor& actor, std::string_view lot_id,
                                          Milligrams amount, std::string_view session_id,
                                          const PatientId& patient,
                                          std::string_view witness_username);
// An unused drawn amount put back into the lot (adds to the balance). Same checks as above.
Result<domain::ledger::Entry> LedgerReturn(const Env& env, domain::Transaction& tx,
                                           const domain::Actor& actor, std::string_view lot_id,
                                           Milligrams amount, std::string_view session_id,
                                           const PatientId& patient);

// Checks a witness, in transactions of its own and before the caller's (its failures are counted
// and audited whatever the caller does next): another staff user (nurse or prescriber), not the
// actor, with the right password (Argon2id) and, when the witness has a second factor, the
// current one-time code `code`. Returns the witness's username. Errors: InvalidArgument field
// "witness_username" when empty or the actor, field "witness_password" when empty; otherwise one
// InvalidArgument (field "witness_password"; not 401, which would end the caller's own login) for
// every kind of failure: an unknown user, not staff, locked, a wrong password or code. A wrong
// password or code counts toward the witness's lockout as a failed login does
// (auth.lockout_attempts, auth.lockout_minutes); a right one resets the count.
Result<std::string> CheckWitness(const Env& env, const domain::Actor& actor,
                                 std::string_view username, std::string_view password,
                                 std::string_view code);

// Every entry of a session (draws, administered, wasted, returned), in order.
Result<std::vector<domain::ledger::Entry>> LedgerForSession(const Env& env, domain::Transaction& tx,
                                                            const domain::Actor& actor,
                                                            std::string_view session_id);

// Internal (the demo and the functions above): appends a checked entry to its lot under the lot's
// lock, chained to the previous one. No permission check and no audit event. `entry.at` is kept
// when set (the demo's past entries), else now.
Result<domain::ledger::Entry> LedgerAppend(const Env& env, domain::Transaction& tx,
                                           domain::ledger::Entry entry);

// --- The ledger pages --------------------------------------------------------------------------

struct LotView {
  domain::ledger::Lot lot;
  Milligrams balance{0};
  Milliliters balance_ml{0};
  bool expired = false;
};

// How a person names the session of a ledger entry: the patient and the day, not its id.
struct SessionLabel {
  domain::PersonName patient;
  Timestamp scheduled_at;
};
using SessionLabels = std::map<std::string, SessionLabel, std::less<>>;  // by session id

struct LotDetail {
  LotView lot;
  std::vector<domain::ledger::Entry> entries;
  SessionLabels sessions;  // every session an entry names
};

struct ReceiptRequest {
  domain::ledger::Supplier supplier;
  std::string product;
  std::string lot_number;
  std::string expiry;  // YYYY-MM-DD
  int vial_count = 0;
  double strength_mg_per_ml = 0;
  double vial_volume_ml = 0;
};

struct DiscrepancyView {
  domain::ledger::Discrepancy discrepancy;
  std::string lot_number;
  bool overdue = false;
};

struct CountResult {
  domain::ledger::Entry entry;
  Milligrams expected{0}, counted{0};
  std::optional<DiscrepancyView> discrepancy;
};

struct ReportLot {
  LotView lot;
  Milligrams opening{0}, closing{0};
  std::vector<domain::ledger::Entry> entries;  // in range, with balance_after as running balance
  Milligrams received{0}, drawn{0}, administered{0}, wasted{0}, returned{0}, transferred{0},
      adjusted{0};
  std::vector<domain::ledger::SessionCustody> sessions;  // sessions with entries in range
};

struct LedgerReport {
  std::chrono::year_month_day from{}, to{};  // inclusive dates (UTC)
  std::vector<ReportLot> lots;
  std::vector<DiscrepancyView> open_discrepancies;
  int retention_years = 2;
  SessionLabels sessions;  // every session an entry or a custody row names
};

struct InventoryLine {
  LotView lot;
  Milligrams balance{0};  // at the inventory time
  double full_vials = 0;  // balance / vial content
};

struct Inventory {
  std::string kind;  // initial | biennial
  std::chrono::year_month_day date{};
  std::string time;  // opening | close
  Timestamp as_of{};
  std::vector<InventoryLine> lines;
  std::string taken_by;
};

class LedgerService {
 public:
  explicit LedgerService(Env env) : env_(env) {}

  Result<std::vector<LotView>> Lots(const domain::Actor& actor);
  Result<LotDetail> Lot(const domain::Actor& actor, std::string_view lot_id);
  Result<LotView> Receive(const domain::Actor& actor, const ReceiptRequest& request);
  Result<CountResult> Count(const domain::Actor& actor, std::string_view lot_id, Milligrams counted,
                            std::string note);
  Result<domain::ledger::Entry> Adjust(const domain::Actor& actor, std::string_view lot_id,
                                       Milligrams amount, std::string reason,
                                       std::string_view witness_username,
                                       std::string_view witness_password,
                                       std::string_view witness_code);
  Result<domain::ledger::Entry> Transfer(const domain::Actor& actor, std::string_view lot_id,
                                         Milligrams amount, std::string to, std::string reason);
  Result<std::vector<DiscrepancyView>> Discrepancies(const domain::Actor& actor);
  Result<DiscrepancyView> Resolve(const domain::Actor& actor, std::string_view discrepancy_id,
                                  std::string resolution, bool reported_to_dea);
  // `actor` null: the CLI (audited as "cli").
  Result<LedgerReport> Report(const domain::Actor* actor, std::chrono::year_month_day from,
                              std::chrono::year_month_day to);
  Result<Inventory> TakeInventory(const domain::Actor& actor, std::string kind,
                                  std::chrono::year_month_day date, std::string time);

 private:
  Env env_;
};

}  // namespace kclinic::app
