// Internal to store/: the patient repository (records, weights, versions, search), through SOCI
// on both back ends and SQLite's C API for the read.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kclinic/codec/patient_json.h"
#include "kclinic/store/patient_cache.h"
#include "kclinic/store/sqlite_statement.h"
#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

const char* const kPatientColumns =
    "id, version, given_name, family_name, birth_date, sex, phone, email, address, height_cm, "
    "allergies, emergency_name, emergency_phone, emergency_relationship, escort_name, "
    "escort_phone, escort_relationship, created_at, updated_at";

// Newest measurement first; of two on one day, the later recorded first (the order Weights()
// reads).
inline void SortWeightsNewestFirst(std::vector<WeightEntry>& weights) {
  std::stable_sort(weights.begin(), weights.end(), [](const WeightEntry& a, const WeightEntry& b) {
    if (a.measured_on != b.measured_on) return a.measured_on > b.measured_on;
    return a.recorded_at > b.recorded_at;
  });
}

struct PatientRow {
  std::string id, given, family, birth, sex, phone, email, address, allergies;
  std::string en, ep, er, sn, sp, sr, created, updated;
  int version = 0;
  double height = 0;
  soci::indicator height_ind = soci::i_null;

  void Bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(version), soci::into(given), soci::into(family),
        soci::into(birth), soci::into(sex), soci::into(phone), soci::into(email),
        soci::into(address), soci::into(height, height_ind), soci::into(allergies), soci::into(en),
        soci::into(ep), soci::into(er), soci::into(sn), soci::into(sp), soci::into(sr),
        soci::into(created), soci::into(updated);
  }

  Patient ToPatient() const {
    Patient p;
    p.id = PatientId(id);
    p.version = version;
    p.fields.name = {given, family};
    p.fields.birth_date = ParseDate(birth).value_or(std::chrono::year_month_day{});
    p.fields.sex = ParseSex(sex).value_or(Sex::kUnknown);
    p.fields.contact = {phone, email, address};
    if (height_ind == soci::i_ok) p.fields.height_cm = Centimeters(height);
    auto list = nlohmann::json::parse(allergies, nullptr, false);
    if (list.is_array()) {
      for (const auto& a : list) {
        if (a.is_string()) p.fields.allergies.push_back(a.get<std::string>());
      }
    }
    p.fields.emergency_contact = {en, ep, er};
    p.fields.escort = {sn, sp, sr};
    p.created_at = ParseTs(created);
    p.updated_at = ParseTs(updated);
    return p;
  }
};

// Values of a patient's editable fields, kept alive while a statement binds them.
struct PatientValues {
  std::string id, given, family, given_key, family_key, birth, sex, phone, email, address;
  std::string allergies, en, ep, er, sn, sp, sr, created, updated;
  int version;
  double height;
  soci::indicator height_ind;

  explicit PatientValues(const Patient& p)
      : id(p.id.value()),
        given(p.fields.name.given),
        family(p.fields.name.family),
        given_key(NameKey(p.fields.name.given)),
        family_key(NameKey(p.fields.name.family)),
        birth(FormatDate(p.fields.birth_date)),
        sex(SexCode(p.fields.sex)),
        phone(p.fields.contact.phone),
        email(p.fields.contact.email),
        address(p.fields.contact.address),
        allergies(nlohmann::json(p.fields.allergies).dump()),
        en(p.fields.emergency_contact.name),
        ep(p.fields.emergency_contact.phone),
        er(p.fields.emergency_contact.relationship),
        sn(p.fields.escort.name),
        sp(p.fields.escort.phone),
        sr(p.fields.escort.relationship),
        created(Ts(p.created_at)),
        updated(Ts(p.updated_at)),
        version(p.version),
        height(p.fields.height_cm ? p.fields.height_cm->value() : 0),
        height_ind(p.fields.height_cm ? soci::i_ok : soci::i_null) {}
};

// The patient read's SQL, shared by the SOCI statement and the SQLite C API one: the patient's
// columns (kPatientColumns order), then the weight's id, measured_on, kg, recorded_at and
// recorded_by; `id` is the placeholder for the patient's id.
inline std::string GetPatientSql(std::string_view id, bool with_rev = false) {
  std::string columns;
  for (std::string_view c : SplitColumns(kPatientColumns)) {
    columns += (columns.empty() ? "p." : ", p.") + std::string(c);
  }
  return "SELECT " + columns + ", w.id, w.measured_on, w.kg, w.recorded_at, w.recorded_by" +
         (with_rev ? ", p.rev " : " ") +
         "FROM patients p LEFT JOIN patient_weights w ON w.patient_id = p.id WHERE p.id = " +
         std::string(id);
}

// SELECT one patient by id with her weights in one query (one round trip): the patient's columns
// repeat on every weight row, and a patient with no weights is one row whose weight columns are
// NULL. The few weights are put newest first in C++: an ORDER BY here made SQLite build a
// temporary sorter on every read (it showed in the server's profile, bench/README.md).
// kMany: the patients whose ids are in `key`, an array literal ({"id1","id2"}). PostgreSQL only
// (SQLite reads through SqliteGetPatientStatement), so each row also has the patient's revision.
template <bool kMany>
struct GetPatientsStatement {
  PatientRow row;
  std::string key, wid, date, at, by;
  double kg = 0;
  long long rev = 0;
  soci::indicator wid_ind = soci::i_null, date_ind = soci::i_null, kg_ind = soci::i_null,
                  at_ind = soci::i_null, by_ind = soci::i_null;
  soci::statement st;
  explicit GetPatientsStatement(soci::session& sql) : st(sql) {
    auto pt = (sql.prepare << GetPatientSql(kMany ? "ANY(CAST(:id AS text[]))" : ":id",
                                            /*with_rev=*/true));
    row.Bind(pt);
    pt, soci::into(wid, wid_ind), soci::into(date, date_ind), soci::into(kg, kg_ind),
        soci::into(at, at_ind), soci::into(by, by_ind), soci::into(rev), soci::use(key, "id");
    st = soci::statement(pt);
  }
  // The fetched row's weight onto `p`; a patient without weights is one row whose weight columns
  // are NULL.
  void AddRowWeightTo(Patient& p) const {
    if (wid_ind != soci::i_ok) return;
    p.weights.push_back({WeightId(wid), ParseDate(date).value_or(std::chrono::year_month_day{}),
                         Kilograms(kg), ParseTs(at), by});
  }
};

using GetPatientStatement = GetPatientsStatement<false>;

// SELECT one patient's weights, newest first.
struct GetWeightsStatement {
  std::string key, wid, date, at, by;
  double kg = 0;
  soci::statement st;
  explicit GetWeightsStatement(soci::session& sql)
      : st((sql.prepare << "SELECT id, measured_on, kg, recorded_at, recorded_by FROM "
                           "patient_weights WHERE patient_id = :id "
                           "ORDER BY measured_on DESC, recorded_at DESC",
            soci::into(wid), soci::into(date), soci::into(kg), soci::into(at), soci::into(by),
            soci::use(key, "id"))) {}
};

// The same read on SQLite through its C API. SOCI's per-column conversions into two dozen bound
// strings, repeated on every weight row, were most of the read's cost; here the patient's columns
// are copied once and only the weight columns on later rows (bench/store_read_bench.cc measures
// both against a bare sqlite3 SELECT). Thrown errors carry SQLite's result code, so GuardCached
// maps a busy database as it does for SOCI.
class SqliteGetPatientStatement {
 public:
  explicit SqliteGetPatientStatement(soci::session& sql) : stmt_(sql, GetPatientSql("?1")) {}

  std::optional<Patient> Run(const std::string& id) {
    auto reset = stmt_.ResetOnExit();
    sqlite_api::sqlite3_stmt* st = stmt_.get();
    sqlite_api::sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    std::optional<Patient> found;
    for (;;) {
      int rc = sqlite_api::sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      stmt_.Check(rc, SQLITE_ROW);
      if (!found) {
        PatientRow row;
        std::string* text[] = {&row.id,  &row.given, &row.family, &row.birth,
                               &row.sex, &row.phone, &row.email,  &row.address};
        row.id = Text(0);
        row.version = sqlite_api::sqlite3_column_int(st, 1);
        for (int i = 1; i < 8; ++i) *text[i] = Text(i + 1);
        if (sqlite_api::sqlite3_column_type(st, 9) != SQLITE_NULL) {
          row.height = sqlite_api::sqlite3_column_double(st, 9);
          row.height_ind = soci::i_ok;
        }
        std::string* rest[] = {&row.allergies, &row.en, &row.ep,      &row.er,     &row.sn,
                               &row.sp,        &row.sr, &row.created, &row.updated};
        for (int i = 0; i < 9; ++i) *rest[i] = Text(10 + i);
        found = row.ToPatient();
      }
      if (sqlite_api::sqlite3_column_type(st, 19) != SQLITE_NULL) {
        found->weights.push_back(
            {WeightId(Text(19)), ParseDate(Text(20)).value_or(std::chrono::year_month_day{}),
             Kilograms(sqlite_api::sqlite3_column_double(st, 21)), ParseTs(Text(22)), Text(23)});
      }
    }
    return found;
  }

 private:
  std::string Text(int column) const {
    const auto* p = sqlite_api::sqlite3_column_text(stmt_.get(), column);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite_api::sqlite3_column_bytes(stmt_.get(), column)));
  }

  SqliteStatement stmt_;
};

class SociPatients final : public PatientRepository {
 public:
  SociPatients(soci::session& sql, StatementCache& cache, PatientCacheUse& records)
      : sql_(sql), cache_(cache), records_(records), sqlite_(sql.get_backend_name() == "sqlite3") {}

  Status Insert(const Patient& p, const ChangeInfo& change) override {
    records_.written.push_back(p.id.value());
    return GuardCached(cache_, "insert patient", [&]() -> Status {
      PatientValues v(p);
      sql_ << "INSERT INTO patients (id, version, given_name, family_name, given_key, family_key, "
              "birth_date, sex, phone, email, address, height_cm, allergies, emergency_name, "
              "emergency_phone, emergency_relationship, escort_name, escort_phone, "
              "escort_relationship, created_at, updated_at) VALUES (:id, :version, :given, "
              ":family, :gk, :fk, :birth, :sex, :phone, :email, :address, :height, :allergies, "
              ":en, :ep, :er, :sn, :sp, :sr, :created, :updated)",
          soci::use(v.id, "id"), soci::use(v.version, "version"), soci::use(v.given, "given"),
          soci::use(v.family, "family"), soci::use(v.given_key, "gk"),
          soci::use(v.family_key, "fk"), soci::use(v.birth, "birth"), soci::use(v.sex, "sex"),
          soci::use(v.phone, "phone"), soci::use(v.email, "email"), soci::use(v.address, "address"),
          soci::use(v.height, v.height_ind, "height"), soci::use(v.allergies, "allergies"),
          soci::use(v.en, "en"), soci::use(v.ep, "ep"), soci::use(v.er, "er"),
          soci::use(v.sn, "sn"), soci::use(v.sp, "sp"), soci::use(v.sr, "sr"),
          soci::use(v.created, "created"), soci::use(v.updated, "updated");
      for (const auto& w : p.weights) KC_RETURN_IF_ERROR(InsertWeight(p.id, w));
      return InsertVersion(p, change);
    });
  }

  // A read patient made ready to hand out: weights newest first, and offered to the cache
  // (SQLite) or to the records to confirm, at revision `rev` (PostgreSQL).
  void Finish(Patient& p, int64_t rev = 0) {
    SortWeightsNewestFirst(p.weights);
    if (records_.MayOffer()) records_.cache->Offer(p, records_.generation);
    // Not after a change of its own, which is not committed yet (and whose revision would not
    // be confirmed if it never was).
    if (records_.recent && records_.written.empty() && rev != 0) records_.recent->Offer(p, rev);
  }

  Result<Patient> Get(const PatientId& id) override {
    return GuardCached(cache_, "read patient", [&]() -> Result<Patient> {
      if (sqlite_) {
        std::optional<Patient> found = cache_.Get<SqliteGetPatientStatement>(sql_).Run(id.value());
        if (!found) return NotFound("no patient with this id");
        Finish(*found);
        return std::move(*found);
      }
      auto& q = cache_.Get<GetPatientStatement>(sql_);
      q.key = id.value();
      q.st.execute();
      std::optional<Patient> found;
      // Always read to the end, so that the statement is finished and holds no snapshot.
      while (q.st.fetch()) {
        if (!found) found = q.row.ToPatient();
        q.AddRowWeightTo(*found);
      }
      if (!found) return NotFound("no patient with this id");
      Finish(*found, q.rev);
      return std::move(*found);
    });
  }

  Result<std::vector<Patient>> GetMany(const std::vector<PatientId>& ids) override {
    if (sqlite_ || ids.size() < 2) return PatientRepository::GetMany(ids);  // Get is as cheap
    return GuardCached(cache_, "read patients", [&]() -> Result<std::vector<Patient>> {
      auto& q = cache_.Get<GetPatientsStatement<true>>(sql_);
      q.key.clear();
      for (const PatientId& id : ids) AppendArrayElement(q.key, id.value());
      q.key += '}';
      q.st.execute();
      std::vector<Patient> found;
      std::vector<int64_t> revs;
      std::unordered_map<std::string, size_t> at;
      while (q.st.fetch()) {  // to the end, so the statement holds no snapshot
        auto [it, first_row] = at.emplace(q.row.id, found.size());
        if (first_row) {
          found.push_back(q.row.ToPatient());
          revs.push_back(q.rev);
        }
        q.AddRowWeightTo(found[it->second]);
      }
      for (size_t i = 0; i < found.size(); ++i) Finish(found[i], revs[i]);
      return found;
    });
  }

  Status Update(const Patient& p, const ChangeInfo& change) override {
    records_.written.push_back(p.id.value());
    return GuardCached(cache_, "update patient", [&]() -> Status {
      PatientValues v(p);
      int previous = p.version - 1;
      soci::statement st =
          (sql_.prepare << "UPDATE patients SET version = :version, given_name = :given, "
                           "family_name = :family, given_key = :gk, family_key = :fk, "
                           "birth_date = :birth, sex = :sex, phone = :phone, email = :email, "
                           "address = :address, height_cm = :height, allergies = :allergies, "
                           "emergency_name = :en, emergency_phone = :ep, "
                           "emergency_relationship = :er, escort_name = :sn, escort_phone = :sp, "
                           "escort_relationship = :sr, updated_at = :updated "
                           "WHERE id = :id AND version = :previous",
           soci::use(v.version, "version"), soci::use(v.given, "given"),
           soci::use(v.family, "family"), soci::use(v.given_key, "gk"),
           soci::use(v.family_key, "fk"), soci::use(v.birth, "birth"), soci::use(v.sex, "sex"),
           soci::use(v.phone, "phone"), soci::use(v.email, "email"),
           soci::use(v.address, "address"), soci::use(v.height, v.height_ind, "height"),
           soci::use(v.allergies, "allergies"), soci::use(v.en, "en"), soci::use(v.ep, "ep"),
           soci::use(v.er, "er"), soci::use(v.sn, "sn"), soci::use(v.sp, "sp"),
           soci::use(v.sr, "sr"), soci::use(v.updated, "updated"), soci::use(v.id, "id"),
           soci::use(previous, "previous"));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return Status(StatusCode::kAborted,
                      "the record was changed by someone else; reload and try again");
      }
      return InsertVersion(p, change);
    });
  }

  Status AddWeight(const PatientId& id, const WeightEntry& w) override {
    records_.written.push_back(id.value());
    return GuardCached(cache_, "add weight", [&]() { return InsertWeight(id, w); });
  }

  Result<PatientPage> Search(const PatientQuery& q) override {
    return GuardCached(cache_, "search patients", [&]() -> Result<PatientPage> {
      std::string after = q.after ? q.after->value() : "";
      if (q.after) {
        int found = 0;
        sql_ << "SELECT COUNT(*) FROM patients WHERE id = :id", soci::use(after, "id"),
            soci::into(found);
        if (found == 0) return InvalidArgument("cursor", "does not name a page of this search");
      }
      std::string prefix = NameKey(q.name_prefix);
      std::string pattern;
      for (char c : prefix) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
      }
      pattern += '%';
      std::string p1 = pattern, p2 = pattern, p3 = pattern, prefix_copy = prefix, after1 = after,
                  after2 = after;
      int fetch = q.limit + 1;
      PatientRow row;
      auto pt = (sql_.prepare
                 << "SELECT " << kPatientColumns
                 << " FROM patients WHERE (:prefix = '' OR given_key LIKE :p1 ESCAPE '\\' OR "
                    "family_key LIKE :p2 ESCAPE '\\' OR (given_key || ' ' || family_key) LIKE :p3 "
                    "ESCAPE '\\') AND (:after1 = '' OR (family_key, given_key, id) > (SELECT "
                    "family_key, given_key, id FROM patients WHERE id = :after2)) "
                    "ORDER BY family_key, given_key, id LIMIT :fetch");
      row.Bind(pt);
      pt, soci::use(prefix_copy, "prefix"), soci::use(p1, "p1"), soci::use(p2, "p2"),
          soci::use(p3, "p3"), soci::use(after1, "after1"), soci::use(after2, "after2"),
          soci::use(fetch, "fetch");
      soci::statement st(pt);
      st.execute();
      PatientPage page;
      while (st.fetch()) page.items.push_back(row.ToPatient());
      if (static_cast<int>(page.items.size()) > q.limit) {
        page.items.resize(q.limit);
        page.next_cursor = page.items.back().id;
      }
      for (auto& p : page.items) {
        KC_ASSIGN_OR_RETURN(p.weights, Weights(p.id));
      }
      return page;
    });
  }

  Result<std::vector<PatientVersion>> History(const PatientId& id) override {
    return GuardCached(
        cache_, "read patient history", [&]() -> Result<std::vector<PatientVersion>> {
          std::string key = id.value();
          int version = 0;
          std::string changed_at, changed_by, reason;
          soci::indicator reason_ind = soci::i_null;
          soci::statement st =
              (sql_.prepare
                   << "SELECT version, changed_at, changed_by, reason FROM patient_versions "
                      "WHERE patient_id = :id ORDER BY version",
               soci::into(version), soci::into(changed_at), soci::into(changed_by),
               soci::into(reason, reason_ind), soci::use(key, "id"));
          st.execute();
          std::vector<PatientVersion> out;
          while (st.fetch()) {
            PatientVersion v{version, ParseTs(changed_at), changed_by, std::nullopt};
            if (reason_ind == soci::i_ok) v.reason = reason;
            out.push_back(std::move(v));
          }
          return out;
        });
  }

  Result<int64_t> Count() override {
    return GuardCached(cache_, "count patients", [&] { return CountRows(sql_, "patients"); });
  }

 private:
  Status InsertWeight(const PatientId& id, const WeightEntry& w) {
    std::string wid = w.id.value(), pid = id.value(), date = FormatDate(w.measured_on),
                at = Ts(w.recorded_at), by = w.recorded_by;
    double kg = w.kg.value();
    sql_ << "INSERT INTO patient_weights (id, patient_id, measured_on, kg, recorded_at, "
            "recorded_by) VALUES (:id, :pid, :date, :kg, :at, :by)",
        soci::use(wid, "id"), soci::use(pid, "pid"), soci::use(date, "date"), soci::use(kg, "kg"),
        soci::use(at, "at"), soci::use(by, "by");
    return Status::Ok();
  }

  Status InsertVersion(const Patient& p, const ChangeInfo& change) {
    std::string pid = p.id.value(), snapshot = codec::FieldsJson(p.fields), at = Ts(change.at),
                by = change.by, reason = change.reason.value_or("");
    int version = p.version;
    soci::indicator reason_ind = change.reason ? soci::i_ok : soci::i_null;
    sql_ << "INSERT INTO patient_versions (patient_id, version, snapshot, changed_at, changed_by, "
            "reason) VALUES (:pid, :version, :snapshot, :at, :by, :reason)",
        soci::use(pid, "pid"), soci::use(version, "version"), soci::use(snapshot, "snapshot"),
        soci::use(at, "at"), soci::use(by, "by"), soci::use(reason, reason_ind, "reason");
    return Status::Ok();
  }

  Result<std::vector<WeightEntry>> Weights(const PatientId& id) {
    auto& q = cache_.Get<GetWeightsStatement>(sql_);
    q.key = id.value();
    q.st.execute();
    std::vector<WeightEntry> out;
    while (q.st.fetch()) {
      out.push_back({WeightId(q.wid), ParseDate(q.date).value_or(std::chrono::year_month_day{}),
                     Kilograms(q.kg), ParseTs(q.at), q.by});
    }
    return out;
  }

  soci::session& sql_;
  StatementCache& cache_;
  PatientCacheUse& records_;
  const bool sqlite_;  // the patient read takes the C API path (SqliteGetPatientStatement)
};

}  // namespace kclinic::store::internal
