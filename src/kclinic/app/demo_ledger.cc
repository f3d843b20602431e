#include "kclinic/app/demo_ledger.h"

#include "kclinic/app/ledger.h"
#include "kclinic/base/crypto.h"
#include "kclinic/domain/ledger/ports.h"

namespace kclinic::app {

namespace {

using domain::ledger::Entry;
using domain::ledger::EntryKind;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

struct DemoLot {
  std::string_view number;
  int vials;
  std::chrono::year_month_day expiry;
  int received_days_ago;
};

}  // namespace

Status SeedDemoLedger(const Env& env, domain::Transaction& tx,
                      const std::vector<domain::Patient>& patients, Timestamp now) {
  using std::chrono::month;
  using std::chrono::year;
  const DemoLot lots[] = {
      {kDemoLotNumbers[0], 10, {year(2027), month(8), std::chrono::day(31)}, 30},
      {kDemoLotNumbers[1], 5, {year(2027), month(3), std::chrono::day(31)}, 9},
  };
  // Henry Schein's Melville distribution centre; the DEA number is made up but has a valid check
  // digit: (4+1+5) + 2×(3+2+6) = 32 → 2.
  const domain::ledger::Supplier supplier{"Henry Schein Medical",
                                          "135 Duryea Road, Melville, NY 11747", "RS4312562"};
  std::vector<std::string> ids;
  for (const DemoLot& d : lots) {
    domain::ledger::Lot lot;
    lot.id = NewId();
    lot.product = "ketamine hydrochloride injection";
    lot.strength = MgPerMl(50);
    lot.vial_volume = Milliliters(10);
    lot.lot_number = std::string(d.number);
    lot.expiry = d.expiry;
    lot.supplier = supplier;
    lot.vials_received = d.vials;
    lot.received_at = now - days(d.received_days_ago);
    lot.received_by = "admin";
    KC_RETURN_IF_ERROR(tx.ledger().InsertLot(lot));
    Entry receipt;
    receipt.lot_id = lot.id;
    receipt.kind = EntryKind::kReceipt;
    receipt.amount_mg = domain::ledger::ReceivedAmount(lot);
    receipt.at = lot.received_at;
    receipt.by = "admin";
    receipt.reason = std::to_string(d.vials) + " vials received from " + supplier.name + " (DEA " +
                     supplier.dea_number + ")";
    KC_RETURN_IF_ERROR(LedgerAppend(env, tx, receipt).status());
    ids.push_back(lot.id);
  }
  // The initial inventory (CLINICAL.md §7), at the close of business on the first receipt's day.
  Entry count;
  count.lot_id = ids[0];
  count.kind = EntryKind::kCount;
  count.amount_mg = Milligrams(5000);
  count.at = now - days(30) + hours(8);
  count.by = "admin";
  count.reason = "initial inventory, close of business";
  KC_RETURN_IF_ERROR(LedgerAppend(env, tx, count).status());

  // Past infusions: drawn, given, the remainder wasted with a witness.
  const int sessions = std::min<int>(3, static_cast<int>(patients.size()));
  for (int i = 0; i < sessions; ++i) {
    const Timestamp at = now - days(7 - 2 * i) - hours(3);
    const std::string session = NewId();
    const double drawn = 40 + 5 * i, given = drawn - 4;
    const std::pair<EntryKind, double> steps[] = {
        {EntryKind::kDraw, drawn}, {EntryKind::kAdminister, given}, {EntryKind::kWaste, 4}};
    int step = 0;
    for (const auto& [kind, mg] : steps) {
      Entry e;
      e.lot_id = ids[0];
      e.kind = kind;
      e.amount_mg = Milligrams(mg);
      e.at = at + minutes(kind == EntryKind::kDraw ? 0 : 45 + step);
      e.by = "nurse.okafor";
      e.session_id = session;
      e.patient_id = patients[i].id;
      if (kind == EntryKind::kWaste) e.witness = "nurse.lindqvist";
      KC_RETURN_IF_ERROR(LedgerAppend(env, tx, e).status());
      ++step;
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> DemoLotIds(domain::Transaction& tx) {
  KC_ASSIGN_OR_RETURN(auto lots, tx.ledger().Lots());
  std::vector<std::string> out;
  for (auto number : kDemoLotNumbers) {
    for (const auto& l : lots) {
      if (l.lot_number == number) {
        out.push_back(l.id);
        break;
      }
    }
  }
  return out;
}

}  // namespace kclinic::app
