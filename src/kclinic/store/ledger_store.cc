// SOCI repository of the controlled-substance ledger (issue 5), one implementation for SQLite and
// PostgreSQL. Entries are appended only (the schema's triggers refuse UPDATE and DELETE).
#include <optional>
#include <string>
#include <vector>

#include "kclinic/domain/ledger/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {

using namespace domain;
using domain::ledger::Discrepancy;
using domain::ledger::Entry;
using domain::ledger::Lot;

namespace {

const char* const kLotColumns =
    "id, product, strength_mg_per_ml, vial_volume_ml, lot_number, expiry, supplier_name, "
    "supplier_address, supplier_dea_number, vials_received, received_at, received_by";

struct LotRow {
  std::string id, product, lot_number, expiry, name, address, dea, received_at, received_by;
  double strength = 0, volume = 0;
  int vials = 0;
  Lot ToLot() const {
    Lot l;
    l.id = id;
    l.product = product;
    l.strength = MgPerMl(strength);
    l.vial_volume = Milliliters(volume);
    l.lot_number = lot_number;
    l.expiry = ParseDate(expiry).value_or(std::chrono::year_month_day{});
    l.supplier = {name, address, dea};
    l.vials_received = vials;
    l.received_at = ParseTs(received_at);
    l.received_by = received_by;
    return l;
  }
};

const char* const kEntryColumns =
    "id, lot_id, seq, kind, amount_mg, amount_ml, at, by_user, witness, session_id, patient_id, "
    "reason, balance_after_mg";

struct EntryRow {
  std::string id, lot_id, kind, at, by, witness, session_id, patient_id, reason;
  long long seq = 0;
  double mg = 0, ml = 0, balance = 0;
  soci::indicator patient_ind = soci::i_null;
  Entry ToEntry() const {
    Entry e;
    e.id = id;
    e.lot_id = lot_id;
    e.seq = seq;
    e.kind = ledger::ParseKind(kind).value_or(ledger::EntryKind::kCount);
    e.amount_mg = Milligrams(mg);
    e.amount_ml = Milliliters(ml);
    e.at = ParseTs(at);
    e.by = by;
    e.witness = witness;
    e.session_id = session_id;
    if (patient_ind == soci::i_ok) e.patient_id = PatientId(patient_id);
    e.reason = reason;
    e.balance_after = Milligrams(balance);
    return e;
  }
};

const char* const kDiscrepancyColumns =
    "id, lot_id, kind, entry_id, session_id, expected_mg, counted_mg, detected_at, detected_by, "
    "report_due, resolved_at, resolved_by, resolution, reported_to_dea";

struct DiscrepancyRow {
  std::string id, lot_id, kind, entry_id, session_id, detected_at, detected_by, report_due,
      resolved_at, resolved_by, resolution;
  double expected = 0, counted = 0;
  int reported = 0;
  soci::indicator resolved_at_ind = soci::i_null, resolved_by_ind = soci::i_null,
                  resolution_ind = soci::i_null;
  Discrepancy ToDiscrepancy() const {
    Discrepancy d;
    d.id = id;
    d.lot_id = lot_id;
    d.kind = kind;
    d.entry_id = entry_id;
    d.session_id = session_id;
    d.expected = Milligrams(expected);
    d.counted = Milligrams(counted);
    d.detected_at = ParseTs(detected_at);
    d.detected_by = detected_by;
    d.report_due = ParseTs(report_due);
    if (resolved_at_ind == soci::i_ok) d.resolved_at = ParseTs(resolved_at);
    if (resolved_by_ind == soci::i_ok) d.resolved_by = resolved_by;
    if (resolution_ind == soci::i_ok) d.resolution = resolution;
    d.reported_to_dea = reported != 0;
    return d;
  }
};

class SociLedger final : public LedgerRepository {
 public:
  explicit SociLedger(soci::session& sql) : sql_(sql) {}

  Status InsertLot(const Lot& l) override {
    return Guard("insert ledger lot", [&]() -> Status {
      double strength = l.strength.value(), volume = l.vial_volume.value();
      std::string expiry = FormatDate(l.expiry), received = Ts(l.received_at);
      int vials = l.vials_received;
      sql_ << "INSERT INTO ledger_lots (" << kLotColumns
           << ") VALUES (:id, :product, :strength, :volume, :lot_number, :expiry, :name, "
              ":address, :dea, :vials, :received_at, :received_by)",
          soci::use(l.id, "id"), soci::use(l.product, "product"), soci::use(strength, "strength"),
          soci::use(volume, "volume"), soci::use(l.lot_number, "lot_number"),
          soci::use(expiry, "expiry"), soci::use(l.supplier.name, "name"),
          soci::use(l.supplier.address, "address"), soci::use(l.supplier.dea_number, "dea"),
          soci::use(vials, "vials"), soci::use(received, "received_at"),
          soci::use(l.received_by, "received_by");
      return Status::Ok();
    });
  }

  Result<std::vector<Lot>> Lots() override {
    return SelectLots("ORDER BY received_at, lot_number, id", "", false);
  }

  Result<std::optional<Lot>> FindLot(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto lots, SelectLots("WHERE id = :key", std::string(id), false));
    if (lots.empty()) return std::optional<Lot>();
    return std::optional<Lot>(std::move(lots.front()));
  }

  Result<std::optional<Lot>> LockLot(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto lots, SelectLots("WHERE id = :key", std::string(id), true));
    if (lots.empty()) return std::optional<Lot>();
    return std::optional<Lot>(std::move(lots.front()));
  }

  Result<std::optional<Entry>> LastEntry(std::string_view lot_id) override {
    KC_ASSIGN_OR_RETURN(auto entries, SelectEntries("WHERE lot_id = :key ORDER BY seq DESC LIMIT 1",
                                                    std::string(lot_id)));
    if (entries.empty()) return std::optional<Entry>();
    return std::optional<Entry>(std::move(entries.front()));
  }

  Status InsertEntry(const Entry& e) override {
    return Guard("insert ledger entry", [&]() -> Status {
      std::string kind(ledger::KindName(e.kind)),
          at = Ts(e.at), patient = e.patient_id ? e.patient_id->value() : std::string();
      soci::indicator patient_ind = e.patient_id ? soci::i_ok : soci::i_null;
      long long seq = e.seq;
      double mg = e.amount_mg.value(), ml = e.amount_ml.value(), balance = e.balance_after.value();
      sql_ << "INSERT INTO ledger_entries (" << kEntryColumns
           << ") VALUES (:id, :lot_id, :seq, :kind, :mg, :ml, :at, :by, :witness, :session_id, "
              ":patient_id, :reason, :balance)",
          soci::use(e.id, "id"), soci::use(e.lot_id, "lot_id"), soci::use(seq, "seq"),
          soci::use(kind, "kind"), soci::use(mg, "mg"), soci::use(ml, "ml"), soci::use(at, "at"),
          soci::use(e.by, "by"), soci::use(e.witness, "witness"),
          soci::use(e.session_id, "session_id"), soci::use(patient, patient_ind, "patient_id"),
          soci::use(e.reason, "reason"), soci::use(balance, "balance");
      return Status::Ok();
    });
  }

  Result<std::vector<Entry>> Entries(std::string_view lot_id) override {
    return SelectEntries("WHERE lot_id = :key ORDER BY seq", std::string(lot_id));
  }

  Result<std::vector<Entry>> AllEntries() override {
    return SelectEntries("WHERE lot_id <> :key ORDER BY lot_id, seq", "");
  }

  Result<std::vector<Entry>> SessionEntries(std::string_view session_id) override {
    return SelectEntries("WHERE session_id = :key ORDER BY at, lot_id, seq",
                         std::string(session_id));
  }

  Status InsertDiscrepancy(const Discrepancy& d) override {
    return Guard("insert ledger discrepancy", [&]() -> Status {
      double expected = d.expected.value(), counted = d.counted.value();
      std::string detected = Ts(d.detected_at), due = Ts(d.report_due);
      sql_ << "INSERT INTO ledger_discrepancies (id, lot_id, kind, entry_id, session_id, "
              "expected_mg, counted_mg, detected_at, detected_by, report_due) VALUES (:id, "
              ":lot_id, :kind, :entry_id, :session_id, :expected, :counted, :detected, :by, :due)",
          soci::use(d.id, "id"), soci::use(d.lot_id, "lot_id"), soci::use(d.kind, "kind"),
          soci::use(d.entry_id, "entry_id"), soci::use(d.session_id, "session_id"),
          soci::use(expected, "expected"), soci::use(counted, "counted"),
          soci::use(detected, "detected"), soci::use(d.detected_by, "by"), soci::use(due, "due");
      return Status::Ok();
    });
  }

  Result<std::vector<Discrepancy>> Discrepancies() override {
    return SelectDiscrepancies("WHERE id <> :key ORDER BY detected_at DESC, id", "");
  }

  Result<std::optional<Discrepancy>> FindDiscrepancy(std::string_view id) override {
    KC_ASSIGN_OR_RETURN(auto found, SelectDiscrepancies("WHERE id = :key", std::string(id)));
    if (found.empty()) return std::optional<Discrepancy>();
    return std::optional<Discrepancy>(std::move(found.front()));
  }

  Status ResolveDiscrepancy(std::string_view id, Timestamp at, std::string_view by,
                            std::string_view resolution, bool reported_to_dea) override {
    return Guard("resolve ledger discrepancy", [&]() -> Status {
      std::string key(id), when = Ts(at), who(by), text(resolution);
      int reported = reported_to_dea ? 1 : 0;
      soci::statement st =
          (sql_.prepare << "UPDATE ledger_discrepancies SET resolved_at = :at, resolved_by = "
                           ":by, resolution = :resolution, reported_to_dea = :reported WHERE id "
                           "= :id AND resolved_at IS NULL",
           soci::use(when, "at"), soci::use(who, "by"), soci::use(text, "resolution"),
           soci::use(reported, "reported"), soci::use(key, "id"));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return FailedPrecondition("the discrepancy is already resolved");
      }
      return Status::Ok();
    });
  }

 private:
  Result<std::vector<Lot>> SelectLots(const std::string& where, const std::string& key, bool lock) {
    return Guard("read ledger lots", [&]() -> Result<std::vector<Lot>> {
      LotRow r;
      // PostgreSQL: the row lock serialises appends to one lot (held to COMMIT). SQLite's write
      // transactions (BEGIN IMMEDIATE) already hold the database's one write lock.
      const bool pg = sql_.get_backend_name() == "postgresql";
      std::string query = std::string("SELECT ") + kLotColumns + " FROM ledger_lots " + where +
                          (lock && pg ? " FOR UPDATE" : "");
      std::string k = key;
      soci::statement st =
          where.find(":key") != std::string::npos
              ? (sql_.prepare << query, soci::use(k, "key"), soci::into(r.id),
                 soci::into(r.product), soci::into(r.strength), soci::into(r.volume),
                 soci::into(r.lot_number), soci::into(r.expiry), soci::into(r.name),
                 soci::into(r.address), soci::into(r.dea), soci::into(r.vials),
                 soci::into(r.received_at), soci::into(r.received_by))
              : (sql_.prepare << query, soci::into(r.id), soci::into(r.product),
                 soci::into(r.strength), soci::into(r.volume), soci::into(r.lot_number),
                 soci::into(r.expiry), soci::into(r.name), soci::into(r.address), soci::into(r.dea),
                 soci::into(r.vials), soci::into(r.received_at), soci::into(r.received_by));
      st.execute();
      std::vector<Lot> out;
      while (st.fetch()) out.push_back(r.ToLot());
      return out;
    });
  }

  Result<std::vector<Entry>> SelectEntries(const std::string& where, const std::string& key) {
    return Guard("read ledger entries", [&]() -> Result<std::vector<Entry>> {
      EntryRow r;
      std::string k = key;
      soci::statement st =
          (sql_.prepare << std::string("SELECT ") + kEntryColumns + " FROM ledger_entries " + where,
           soci::use(k, "key"), soci::into(r.id), soci::into(r.lot_id), soci::into(r.seq),
           soci::into(r.kind), soci::into(r.mg), soci::into(r.ml), soci::into(r.at),
           soci::into(r.by), soci::into(r.witness), soci::into(r.session_id),
           soci::into(r.patient_id, r.patient_ind), soci::into(r.reason), soci::into(r.balance));
      st.execute();
      std::vector<Entry> out;
      while (st.fetch()) out.push_back(r.ToEntry());
      return out;
    });
  }

  Result<std::vector<Discrepancy>> SelectDiscrepancies(const std::string& where,
                                                       const std::string& key) {
    return Guard("read ledger discrepancies", [&]() -> Result<std::vector<Discrepancy>> {
      DiscrepancyRow r;
      std::string k = key;
      soci::statement st =
          (sql_.prepare << std::string("SELECT ") + kDiscrepancyColumns +
                               " FROM ledger_discrepancies " + where,
           soci::use(k, "key"), soci::into(r.id), soci::into(r.lot_id), soci::into(r.kind),
           soci::into(r.entry_id), soci::into(r.session_id), soci::into(r.expected),
           soci::into(r.counted), soci::into(r.detected_at), soci::into(r.detected_by),
           soci::into(r.report_due), soci::into(r.resolved_at, r.resolved_at_ind),
           soci::into(r.resolved_by, r.resolved_by_ind), soci::into(r.resolution, r.resolution_ind),
           soci::into(r.reported));
      st.execute();
      std::vector<Discrepancy> out;
      while (st.fetch()) out.push_back(r.ToDiscrepancy());
      return out;
    });
  }

  soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::LedgerRepository> MakeLedgerRepository(soci::session& sql) {
  return std::make_unique<SociLedger>(sql);
}

}  // namespace kclinic::store
