#include "kclinic/store/soci_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <typeindex>
#include <unordered_map>

#include "kclinic/base/non_blocking.h"
#include "kclinic/codec/patient_json.h"
#include "kclinic/domain/ledger/ports.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/session/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {

using namespace domain;

// Turns a driver exception into a Status the caller can act on. Only Internal statuses carry the
// driver's text (for the server log, never the client): a constraint message can quote the row,
// and the row is patient data.
Status FromSociException(const std::exception& e, std::string_view what) {
  std::string message = std::string(what) + ": " + e.what();
  const Status already_exists(StatusCode::kAlreadyExists,
                              "a record with the same key already exists");
  const Status breaks_rule(StatusCode::kFailedPrecondition,
                           "the change breaks a rule of the stored data");
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int rc = s->result() & 0xff;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      return Status(StatusCode::kUnavailable, "database is busy; try again");
    }
    if (rc == SQLITE_CONSTRAINT) {
      if (std::string(e.what()).find("UNIQUE") != std::string::npos) return already_exists;
      return breaks_rule;
    }
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = p->sqlstate();
    if (state == "23505") return already_exists;
    if (state.rfind("23", 0) == 0) return breaks_rule;
    if (state == "40001" || state == "40P01") {
      return Status(StatusCode::kAborted, "a concurrent change won; try again");
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0) {
      return Status(StatusCode::kUnavailable, "database unavailable");
    }
  }
  return Internal(message);
}

namespace {

enum class Dialect { kSqlite, kPostgres };

std::string Ts(Timestamp t) { return FormatTimestamp(t); }

// The number of rows in `table` (a fixed name from this file, never input).
Result<int64_t> CountRows(soci::session& sql, const char* table) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " << table, soci::into(n);
  return static_cast<int64_t>(n);
}

Timestamp ParseTs(const std::string& s) {
  auto t = ParseTimestamp(s);
  return t ? *t : Timestamp{};
}

// Executes a multi-statement SQL script through the driver's own API (SOCI runs one statement).
void ExecScript(soci::session& sql, Dialect dialect, const std::string& script) {
  if (dialect == Dialect::kSqlite) {
    auto* be = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* err = nullptr;
    if (sqlite_api::sqlite3_exec(be->conn_, script.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite_api::sqlite3_free(err);
      throw soci::soci_error("sqlite: " + message);
    }
  } else {
    auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
    PGresult* res = PQexec(be->conn_, script.c_str());
    ExecStatusType st = PQresultStatus(res);
    std::string message = PQresultErrorMessage(res);
    PQclear(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      throw soci::soci_error("postgresql: " + message);
  }
}

// Statements prepared once per pooled connection and reused: SOCI prepares a one-off query on
// every call, which profiling showed to be the largest cost of a patient read. Each cached type
// T is constructed with the session and binds its into/use variables to its own members.
// On any database error the connection's cache is cleared, so a broken statement is not reused.
class StatementCache {
 public:
  template <typename T>
  T& Get(soci::session& sql) {
    auto& slot = entries_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_unique<Holder<T>>(sql);
    return static_cast<Holder<T>&>(*slot).value;
  }
  // The same for statements made in several shapes, one per `key` (e.g. a row count).
  template <typename T>
  T& Get(soci::session& sql, int key) {
    auto& slot = keyed_[{std::type_index(typeid(T)), key}];
    if (!slot) slot = std::make_unique<KeyedHolder<T>>(sql, key);
    return static_cast<KeyedHolder<T>&>(*slot).value;
  }
  void Clear() {
    entries_.clear();
    keyed_.clear();
  }

 private:
  struct Base {
    virtual ~Base() = default;
  };
  template <typename T>
  struct Holder final : Base {
    explicit Holder(soci::session& sql) : value(sql) {}
    T value;
  };
  template <typename T>
  struct KeyedHolder final : Base {
    KeyedHolder(soci::session& sql, int key) : value(sql, key) {}
    T value;
  };
  std::unordered_map<std::type_index, std::unique_ptr<Base>> entries_;
  std::map<std::pair<std::type_index, int>, std::unique_ptr<Base>> keyed_;
};

// Runs `f`, turning an exception into a Status and clearing `cache`.
template <typename F>
auto GuardCached(StatementCache& cache, std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    cache.Clear();
    return FromSociException(e, what);
  }
}

// ---------------------------------------------------------------------------------------------
// Patients

const char* const kPatientColumns =
    "id, version, given_name, family_name, birth_date, sex, phone, email, address, height_cm, "
    "allergies, emergency_name, emergency_phone, emergency_relationship, escort_name, "
    "escort_phone, escort_relationship, created_at, updated_at";

// Appends `value` to `array`, a PostgreSQL array literal being built, as one double-quoted
// element; inside the quotes a backslash makes the next character literal (PostgreSQL 15 manual,
// 8.15.6 "Array Input and Output Syntax").
void AppendArrayElement(std::string& array, std::string_view value) {
  array += array.empty() ? "{\"" : ",\"";
  for (char c : value) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

// The comma-separated names of a column list, trimmed.
std::vector<std::string_view> SplitColumns(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view c = list.substr(0, comma);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    out.push_back(c);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

// Newest measurement first; of two on one day, the later recorded first (the order Weights()
// reads).
void SortWeightsNewestFirst(std::vector<WeightEntry>& weights) {
  std::stable_sort(weights.begin(), weights.end(), [](const WeightEntry& a, const WeightEntry& b) {
    if (a.measured_on != b.measured_on) return a.measured_on > b.measured_on;
    return a.recorded_at > b.recorded_at;
  });
}

// Patient records as last committed, kept by a store that sees every write to its database
// (StoreOptions::patient_cache). A read transaction offers what it read; a transaction that
// changed a patient forgets that patient once it has committed or rolled back, and each
// forgetting moves the generation on, so a read that began before a change and finishes after it
// cannot put its older copy back. Thread-safe.
class PatientCache {
 public:
  std::shared_ptr<const Patient> Find(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    return it == records_.end() ? nullptr : it->second;
  }
  uint64_t generation() const {
    std::lock_guard lock(mu_);
    return generation_;
  }
  // `patient` as read by a transaction that began when the cache was at `generation`.
  void Offer(const Patient& patient, uint64_t generation) {
    auto copy = std::make_shared<const Patient>(patient);
    std::lock_guard lock(mu_);
    if (generation != generation_) return;  // something changed since that read began
    if (records_.size() >= domain::kPatientRecordsKept) records_.clear();
    records_[patient.id.value()] = std::move(copy);
  }
  void Forget(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    ++generation_;
    for (const auto& id : ids) records_.erase(id);
  }

 private:
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const Patient>> records_;
};

// Patient records a PostgreSQL store read, each with its revision (the patients.rev column that
// every change to the record renumbers in its own transaction; migration 0007). Not exact, as
// other servers write the same database: a record from here answers a read only once the
// append of that read's audit event finds the revision still current (SociStore::AppendAudit;
// Store::RecentPatient). Thread-safe.
class RecentPatients {
 public:
  Store::RecentRecord Find(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    return it == records_.end() ? Store::RecentRecord{} : it->second;
  }
  // `patient` at revision `rev`, as a read just returned it. A revision older than the one kept
  // is ignored (a read that began before a change, finishing after one that began later); the
  // same revision keeps the record already held, so its rendered JSON stays memoised
  // (http::Api::PatientJsonOf).
  void Offer(const Patient& patient, int64_t rev) {
    std::lock_guard lock(mu_);
    auto it = records_.find(patient.id.value());
    if (it != records_.end() && it->second.rev >= rev) return;
    if (records_.size() >= domain::kPatientRecordsKept) records_.clear();
    records_[patient.id.value()] = {std::make_shared<const Patient>(patient), rev};
  }
  // After this server's own change, so that its next read does not need a second try.
  void Forget(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    for (const auto& id : ids) records_.erase(id);
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Store::RecentRecord> records_;
};

// How one transaction uses the store's patient cache.
struct PatientCacheUse {
  PatientCache* cache = nullptr;     // null: the store keeps none
  RecentPatients* recent = nullptr;  // PostgreSQL's records to confirm; null: none kept
  bool offer = false;                // a read transaction: what it reads may be cached
  uint64_t generation = 0;           // the cache's generation before the transaction began
  std::vector<std::string> written;  // patients the transaction changed
  // Not after a change of its own: what it reads then is not committed yet.
  bool MayOffer() const { return offer && written.empty(); }
  // Once the transaction has ended (committed or rolled back): the patients it changed leave
  // whichever cache the store keeps.
  void ForgetWritten() {
    if (written.empty()) return;
    if (cache) cache->Forget(written);
    if (recent) recent->Forget(written);
    written.clear();
  }
};

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
std::string GetPatientSql(std::string_view id, bool with_rev = false) {
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

// A statement prepared once through SQLite's C API on a pooled connection and kept, for the hot
// paths that bypass SOCI (SqliteGetPatientStatement, InsertAuditStatement). Errors throw what
// SOCI's sqlite3 back end throws, with SQLite's result code, so GuardCached maps a busy database
// as it does for SOCI.
class SqliteStatement {
 public:
  SqliteStatement(soci::session& sql, const std::string& text)
      : db_(static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_) {
    Check(sqlite_api::sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                         SQLITE_PREPARE_PERSISTENT, &st_, nullptr));
  }
  ~SqliteStatement() { sqlite_api::sqlite3_finalize(st_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  sqlite_api::sqlite3_stmt* get() const { return st_; }

  // Throws unless `rc` is `expected`.
  void Check(int rc, int expected = SQLITE_OK) const {
    if (rc != expected) throw soci::sqlite3_soci_error(sqlite_api::sqlite3_errmsg(db_), rc);
  }

  // Resets the statement and clears its bindings when it goes out of scope, on every exit: the
  // statement then holds no read snapshot, and no binding into memory the caller may free.
  struct Reset {
    sqlite_api::sqlite3_stmt* st;
    ~Reset() {
      sqlite_api::sqlite3_reset(st);
      sqlite_api::sqlite3_clear_bindings(st);
    }
  };
  [[nodiscard]] Reset ResetOnExit() const { return Reset{st_}; }

 private:
  sqlite_api::sqlite3* db_;
  sqlite_api::sqlite3_stmt* st_ = nullptr;
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

// ---------------------------------------------------------------------------------------------
// Users and sessions

const char* const kUserColumns =
    "id, username, role, password_hash, patient_id, totp_secret, totp_enabled, failed_logins, "
    "locked_until, created_at, totp_last_step";

struct UserRow {
  std::string id, username, role, hash, patient_id, totp_secret, locked_until, created;
  int totp_enabled = 0, failed = 0;
  long long totp_last_step = 0;
  soci::indicator patient_ind = soci::i_null, locked_ind = soci::i_null;

  void Bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(id), soci::into(username), soci::into(role), soci::into(hash),
        soci::into(patient_id, patient_ind), soci::into(totp_secret), soci::into(totp_enabled),
        soci::into(failed), soci::into(locked_until, locked_ind), soci::into(created),
        soci::into(totp_last_step);
  }

  User ToUser() const {
    User u;
    u.id = UserId(id);
    u.username = username;
    u.role = ParseRole(role).value_or(Role::kPatient);
    u.password_hash = hash;
    if (patient_ind == soci::i_ok) u.patient_id = PatientId(patient_id);
    u.totp_secret = totp_secret;
    u.totp_enabled = totp_enabled != 0;
    u.totp_last_step = totp_last_step;
    u.failed_logins = failed;
    if (locked_ind == soci::i_ok) u.locked_until = ParseTs(locked_until);
    u.created_at = ParseTs(created);
    return u;
  }
};

// SELECT one user by id (every authenticated request).
struct GetUserByIdStatement {
  UserRow row;
  std::string key;
  soci::statement st;
  explicit GetUserByIdStatement(soci::session& sql) : st(sql) {
    auto pt = (sql.prepare << "SELECT " << kUserColumns << " FROM users WHERE id = :key");
    row.Bind(pt);
    pt, soci::use(key, "key");
    st = soci::statement(pt);
  }
};

class SociUsers final : public UserRepository {
 public:
  SociUsers(soci::session& sql, StatementCache& cache) : sql_(sql), cache_(cache) {}

  Status Insert(const User& u) override {
    std::string constraint_text;
    Status s = GuardCached(cache_, "insert user", [&]() -> Status {
      try {
        return InsertUser(u);
      } catch (const std::exception& e) {
        constraint_text = e.what();  // which unique key clashed; kept out of the Status
        throw;
      }
    });
    if (s.code() == StatusCode::kAlreadyExists) {
      // SQLite names the column, PostgreSQL the constraint.
      bool patient_clash = constraint_text.find("users.patient_id") != std::string::npos ||
                           constraint_text.find("users_patient_id_key") != std::string::npos;
      return Status(
          StatusCode::kAlreadyExists,
          patient_clash ? "this patient already has a portal account" : "this username is taken",
          patient_clash ? "patient_id" : "username");
    }
    if (s.code() == StatusCode::kFailedPrecondition && u.patient_id) {
      return InvalidArgument("patient_id", "does not name a patient");
    }
    return s;
  }

  Result<User> GetById(const UserId& id) override {
    return GuardCached(cache_, "read user", [&]() -> Result<User> {
      auto& q = cache_.Get<GetUserByIdStatement>(sql_);
      q.key = id.value();
      q.st.execute();
      std::optional<User> found;
      while (q.st.fetch()) found = q.row.ToUser();
      if (!found) return NotFound("no such user");
      return std::move(*found);
    });
  }
  Result<User> GetByUsername(std::string_view username) override {
    return GetBy("username", std::string(username));
  }

  Status UpdateCredentials(const User& u) override {
    return GuardCached(cache_, "update user", [&]() -> Status {
      std::string id = u.id.value(), hash = u.password_hash, totp = u.totp_secret,
                  locked = u.locked_until ? Ts(*u.locked_until) : "";
      int enabled = u.totp_enabled ? 1 : 0, failed = u.failed_logins;
      long long step = u.totp_last_step;
      soci::indicator locked_ind = u.locked_until ? soci::i_ok : soci::i_null;
      sql_ << "UPDATE users SET password_hash = :hash, totp_secret = :totp, "
              "totp_enabled = :enabled, failed_logins = :failed, locked_until = :locked, "
              "totp_last_step = :step WHERE id = :id",
          soci::use(hash, "hash"), soci::use(totp, "totp"), soci::use(enabled, "enabled"),
          soci::use(failed, "failed"), soci::use(locked, locked_ind, "locked"),
          soci::use(step, "step"), soci::use(id, "id");
      return Status::Ok();
    });
  }

  Result<std::vector<User>> List() override {
    return GuardCached(cache_, "list users", [&]() -> Result<std::vector<User>> {
      UserRow row;
      auto pt = (sql_.prepare << "SELECT " << kUserColumns << " FROM users ORDER BY username");
      row.Bind(pt);
      soci::statement st(pt);
      st.execute();
      std::vector<User> out;
      while (st.fetch()) out.push_back(row.ToUser());
      return out;
    });
  }

  Result<int64_t> Count() override {
    return GuardCached(cache_, "count users", [&] { return CountRows(sql_, "users"); });
  }

 private:
  Status InsertUser(const User& u) {
    std::string id = u.id.value(), username = u.username, role(RoleName(u.role)),
                hash = u.password_hash, pid = u.patient_id ? u.patient_id->value() : "",
                totp = u.totp_secret, created = Ts(u.created_at);
    int enabled = u.totp_enabled ? 1 : 0, failed = u.failed_logins;
    soci::indicator pid_ind = u.patient_id ? soci::i_ok : soci::i_null;
    sql_ << "INSERT INTO users (id, username, role, password_hash, patient_id, totp_secret, "
            "totp_enabled, failed_logins, locked_until, created_at) VALUES (:id, :username, "
            ":role, :hash, :pid, :totp, :enabled, :failed, NULL, :created)",
        soci::use(id, "id"), soci::use(username, "username"), soci::use(role, "role"),
        soci::use(hash, "hash"), soci::use(pid, pid_ind, "pid"), soci::use(totp, "totp"),
        soci::use(enabled, "enabled"), soci::use(failed, "failed"), soci::use(created, "created");
    return Status::Ok();
  }

  Result<User> GetBy(const std::string& column, std::string key) {
    return GuardCached(cache_, "read user", [&]() -> Result<User> {
      UserRow row;
      auto pt = (sql_.prepare << "SELECT " << kUserColumns << " FROM users WHERE " << column
                              << " = :key");
      row.Bind(pt);
      pt, soci::use(key, "key");
      soci::statement st(pt);
      st.execute();
      if (!st.fetch()) return NotFound("no such user");
      return row.ToUser();
    });
  }

  soci::session& sql_;
  StatementCache& cache_;
};

// SELECT one session by token hash (every authenticated request).
struct GetSessionStatement {
  std::string key, uid, csrf, created, seen;
  int revoked = 0;
  soci::statement st;
  explicit GetSessionStatement(soci::session& sql)
      : st((sql.prepare << "SELECT user_id, csrf_token, created_at, last_seen_at, revoked FROM "
                           "sessions WHERE token_hash = :hash",
            soci::into(uid), soci::into(csrf), soci::into(created), soci::into(seen),
            soci::into(revoked), soci::use(key, "hash"))) {}
};

class SociSessions final : public SessionRepository {
 public:
  SociSessions(soci::session& sql, StatementCache& cache) : sql_(sql), cache_(cache) {}

  Status Insert(const Session& s) override {
    return GuardCached(cache_, "insert session", [&]() -> Status {
      std::string hash = s.token_hash, uid = s.user_id.value(), csrf = s.csrf_token,
                  created = Ts(s.created_at), seen = Ts(s.last_seen_at);
      sql_ << "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
              "revoked) VALUES (:hash, :uid, :csrf, :created, :seen, 0)",
          soci::use(hash, "hash"), soci::use(uid, "uid"), soci::use(csrf, "csrf"),
          soci::use(created, "created"), soci::use(seen, "seen");
      return Status::Ok();
    });
  }

  Result<Session> Get(std::string_view token_hash) override {
    return GuardCached(cache_, "read session", [&]() -> Result<Session> {
      auto& q = cache_.Get<GetSessionStatement>(sql_);
      q.key = std::string(token_hash);
      q.st.execute();
      std::optional<Session> found;
      while (q.st.fetch()) {
        found = Session{q.key,           UserId(q.uid), q.csrf, ParseTs(q.created),
                        ParseTs(q.seen), q.revoked != 0};
      }
      if (!found) return NotFound("no such session");
      return std::move(*found);
    });
  }

  Status Touch(std::string_view token_hash, Timestamp last_seen_at) override {
    return GuardCached(cache_, "touch session", [&]() -> Status {
      std::string key(token_hash), seen = Ts(last_seen_at);
      sql_ << "UPDATE sessions SET last_seen_at = :seen WHERE token_hash = :hash",
          soci::use(seen, "seen"), soci::use(key, "hash");
      return Status::Ok();
    });
  }

  Status Revoke(std::string_view token_hash) override {
    return GuardCached(cache_, "revoke session", [&]() -> Status {
      std::string key(token_hash);
      sql_ << "UPDATE sessions SET revoked = 1 WHERE token_hash = :hash", soci::use(key, "hash");
      return Status::Ok();
    });
  }

 private:
  soci::session& sql_;
  StatementCache& cache_;
};

// ---------------------------------------------------------------------------------------------
// Audit trail

struct AuditRow {
  long long seq = 0;
  std::string at, actor_id, actor_role, action, patient_id, resource, outcome, detail, prev, hash;

  void Bind(soci::details::prepare_temp_type& pt) {
    pt, soci::into(seq), soci::into(at), soci::into(actor_id), soci::into(actor_role),
        soci::into(action), soci::into(patient_id), soci::into(resource), soci::into(outcome),
        soci::into(detail), soci::into(prev), soci::into(hash);
  }

  AuditEvent ToEvent() const {
    AuditEvent e;
    e.seq = seq;
    // An unparsable time is kept as the epoch so that the hash check reports the event.
    e.at = ParseTs(at);
    e.actor_id = actor_id;
    e.actor_role = actor_role;
    e.action = action;
    e.patient_id = patient_id;
    e.resource = resource;
    e.outcome = outcome;
    e.detail = detail;
    e.prev_hash = prev;
    e.hash = hash;
    return e;
  }
};

const char* const kAuditColumns =
    "seq, at, actor_id, actor_role, action, patient_id, resource, outcome, detail, prev_hash, hash";

// The chain head, read under the write lock: PostgreSQL locks the row so that appends from every
// server sharing the database serialise; in SQLite the write transaction (BEGIN IMMEDIATE)
// already holds the database's write lock.
template <bool kForUpdate>
struct LockHeadStatement {
  long long seq = 0;
  std::string hash;
  soci::statement st;
  explicit LockHeadStatement(soci::session& sql)
      : st((sql.prepare
                << (kForUpdate
                        ? "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
                        : "SELECT last_seq, last_hash FROM audit_head WHERE id = 1"),
            soci::into(seq), soci::into(hash))) {}
};

// SQLite: inserts events[first, first + rows) (already chained) in one statement, prepared once per
// row count (up to kMaxAuditRows) on each connection and kept (PostgreSQL: AppendChainedStatement,
// below). Through SQLite's C API with the parameters pointing into the events (SQLITE_STATIC):
// through SOCI, each run copied every event into bound strings of the statement's own and SQLite
// copied each of the 11 parameters per row once more, about a tenth of the audit writer's time
// (bench/README.md). Thrown errors carry SQLite's result code, so GuardCached maps a busy database
// as it does for SOCI.
class InsertAuditStatement {
 public:
  static constexpr int kRowParams = 11;  // kAuditColumns

  InsertAuditStatement(soci::session& sql, int rows)
      : stmt_(sql, Sql(rows)), ats_(static_cast<size_t>(rows)) {}

  void Run(const std::vector<AuditEvent>& events, size_t first) {
    auto reset = stmt_.ResetOnExit();  // the bindings point into `events`
    sqlite_api::sqlite3_stmt* st = stmt_.get();
    for (size_t i = 0; i < ats_.size(); ++i) {
      const AuditEvent& e = events[first + i];
      const int p = static_cast<int>(i) * kRowParams + 1;
      const size_t at_size = FormatTimestampTo(e.at, ats_[i].text);
      int rc = sqlite_api::sqlite3_bind_int64(st, p, e.seq);
      if (rc == SQLITE_OK) rc = BindText(p + 1, std::string_view(ats_[i].text, at_size));
      const std::array<const std::string*, kRowParams - 2> texts{
          &e.actor_id, &e.actor_role, &e.action,    &e.patient_id, &e.resource,
          &e.outcome,  &e.detail,     &e.prev_hash, &e.hash};  // kAuditColumns' order
      for (size_t c = 0; c < texts.size() && rc == SQLITE_OK; ++c) {
        rc = BindText(p + 2 + static_cast<int>(c), *texts[c]);
      }
      stmt_.Check(rc);
    }
    stmt_.Check(sqlite_api::sqlite3_step(st), SQLITE_DONE);
  }

 private:
  static std::string Sql(int rows) {
    std::string query = "INSERT INTO audit_events (" + std::string(kAuditColumns) + ") VALUES ";
    for (int i = 0; i < rows; ++i)
      query += i ? ", (?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)";
    return query;
  }
  int BindText(int index, std::string_view text) {
    return sqlite_api::sqlite3_bind_text(stmt_.get(), index, text.data(),
                                         static_cast<int>(text.size()), SQLITE_STATIC);
  }

  SqliteStatement stmt_;
  struct At {
    char text[kTimestampChars];
  };
  std::vector<At> ats_;  // the timestamp texts the parameters point to
};
// A batch of n events takes ceil(n / 64) insert statements; the audit writer's batches are
// ~15-30 events under load, so one.
constexpr size_t kMaxAuditRows = 64;

// PostgreSQL: stores `rows` events already chained on from the head (from_seq, from_hash) and
// moves the head to the last of them, in one statement (one round trip, no BEGIN or COMMIT of its
// own), but only while the head is still (from_seq, from_hash). Once another append has moved
// the head, the UPDATE in the WITH clause matches no row and nothing is inserted. An UPDATE that
// waited for another append's row lock re-checks its WHERE against the row that append committed
// (READ COMMITTED; PostgreSQL 15 manual, 13.2.1), so two servers appending from the same head
// cannot both succeed; seq is the primary key besides.
// Prepared once per row count (up to kMaxAuditRows) on each connection, and run through libpq
// with the parameters pointing into the events: SOCI looked each of the 11 parameters per row up
// by name in a map and copied it into a buffer of its own on every run, which was most of the
// audit writer's time. (The rows as eleven arrays through unnest, one statement for every size,
// cost PostgreSQL 20-22 µs per row against 13-16 for these VALUES; bench/README.md.)
class AppendChainedStatement {
 public:
  static constexpr int kHeadParams = 4, kRowParams = 11;

  AppendChainedStatement(soci::session& sql, int rows)
      : conn_(static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_),
        rows_(rows),
        seqs_(static_cast<size_t>(rows)),
        ats_(static_cast<size_t>(rows)),
        values_(static_cast<size_t>(kHeadParams + kRowParams * rows)) {
    static std::atomic<uint64_t> next_name{0};
    name_ = "kclinic_audit_append_" + std::to_string(next_name++);
    std::string query =
        "WITH head AS (UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1 AND "
        "last_seq = $3 AND last_hash = $4 RETURNING id) INSERT INTO audit_events (" +
        std::string(kAuditColumns) + ") SELECT * FROM (VALUES ";
    for (int i = 0; i < rows; ++i) {
      query += i ? ", (" : "(";
      for (int c = 0; c < kRowParams; ++c) {
        query += (c ? ", $" : "$") + std::to_string(kHeadParams + kRowParams * i + c + 1);
        if (c == 0) query += "::BIGINT";  // a VALUES list's parameters are text unless cast
      }
      query += ")";
    }
    query += ") AS v WHERE EXISTS (SELECT 1 FROM head)";
    PQclear(Check(PQprepare(conn_, name_.c_str(), query.c_str(), 0, nullptr)));
  }
  ~AppendChainedStatement() {
    // Best effort: after an error the cache drops this statement, and the connection may still
    // be inside a failed transaction, where DEALLOCATE would fail too (the name is never reused).
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      PQclear(PQexec(conn_, ("DEALLOCATE " + name_).c_str()));
    }
  }
  AppendChainedStatement(const AppendChainedStatement&) = delete;
  AppendChainedStatement& operator=(const AppendChainedStatement&) = delete;

  // True when events[first, first + rows), chained on from (head_seq, head_hash), were stored;
  // false when the head had moved and nothing was written.
  bool Run(const std::vector<AuditEvent>& events, size_t first, long long head_seq,
           const std::string& head_hash) {
    const AuditEvent& last = events[first + static_cast<size_t>(rows_) - 1];
    const std::string to_seq = std::to_string(last.seq), from_seq = std::to_string(head_seq);
    values_[0] = to_seq.c_str();
    values_[1] = last.hash.c_str();
    values_[2] = from_seq.c_str();
    values_[3] = head_hash.c_str();
    for (size_t i = 0; i < static_cast<size_t>(rows_); ++i) {
      const AuditEvent& e = events[first + i];
      *std::to_chars(seqs_[i].data(), seqs_[i].data() + seqs_[i].size() - 1, e.seq).ptr = '\0';
      char at[kTimestampChars];
      const size_t at_size = FormatTimestampTo(e.at, at);
      std::memcpy(ats_[i].data(), at, at_size);
      ats_[i][at_size] = '\0';
      const char** row = &values_[kHeadParams + kRowParams * i];
      const std::array<const char*, kRowParams> columns{
          seqs_[i].data(),  ats_[i].data(),       e.actor_id.c_str(), e.actor_role.c_str(),
          e.action.c_str(), e.patient_id.c_str(), e.resource.c_str(), e.outcome.c_str(),
          e.detail.c_str(), e.prev_hash.c_str(),  e.hash.c_str()};  // kAuditColumns' order
      std::copy(columns.begin(), columns.end(), row);
    }
    PGresult* res = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values_.size()),
                                   values_.data(), nullptr, nullptr, 0);
    const long long stored = std::atoll(PQcmdTuples(Check(res)));
    PQclear(res);
    if (stored == 0) return false;
    if (stored != rows_) throw std::runtime_error("the audit insert stored a different count");
    return true;
  }

 private:
  // `res` when it succeeded; else frees it and throws what SOCI would, so GuardCached and
  // FromSociException map it like any other statement's error.
  PGresult* Check(PGresult* res) {
    if (res != nullptr && PQresultStatus(res) == PGRES_COMMAND_OK) return res;
    std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    char sqlstate[6] = "08006";  // connection_failure, when the server said nothing
    if (state != nullptr && std::strlen(state) == 5) std::memcpy(sqlstate, state, 5);
    PQclear(res);
    throw soci::postgresql_soci_error("postgresql: " + message, sqlstate);
  }

  PGconn* conn_;
  int rows_;
  std::string name_;
  std::vector<std::array<char, 24>> seqs_;  // the seq and timestamp texts the parameters point to
  std::vector<std::array<char, kTimestampChars + 1>> ats_;
  std::vector<const char*> values_;
};

// PostgreSQL: the current revision of each patient whose id is in `key`, an array literal.
struct PatientRevsStatement {
  std::string key, id;
  long long rev = 0;
  soci::statement st;
  explicit PatientRevsStatement(soci::session& sql)
      : st((sql.prepare << "SELECT id, rev FROM patients WHERE id = ANY(CAST(:ids AS text[]))",
            soci::into(id), soci::into(rev), soci::use(key, "ids"))) {}
};

// Fills seq, prev_hash and hash of `events`, chained on from the head (seq, hash).
void ChainFrom(std::vector<AuditEvent>& events, long long seq, std::string hash) {
  for (auto& e : events) {
    e.seq = ++seq;
    e.prev_hash = std::move(hash);
    e.hash = AuditEventHash(e);
    hash = e.hash;
  }
}

struct UpdateHeadStatement {
  long long seq = 0;
  std::string hash;
  soci::statement st;
  explicit UpdateHeadStatement(soci::session& sql)
      : st((sql.prepare << "UPDATE audit_head SET last_seq = :seq, last_hash = :hash WHERE id = 1",
            soci::use(seq, "seq"), soci::use(hash, "hash"))) {}
};

class SociAudit final : public AuditRepository {
 public:
  SociAudit(soci::session& sql, Dialect dialect, StatementCache& cache)
      : sql_(sql), dialect_(dialect), cache_(cache) {}

  Status Append(std::vector<AuditEvent>& events) override {
    if (events.empty()) return Status::Ok();
    return GuardCached(cache_, "append audit events", [&]() -> Status {
      long long last_seq = 0;
      std::string last_hash;
      if (dialect_ == Dialect::kPostgres) {
        auto& head = cache_.Get<LockHeadStatement<true>>(sql_);
        head.st.execute();
        while (head.st.fetch()) std::tie(last_seq, last_hash) = std::tie(head.seq, head.hash);
        ChainFrom(events, last_seq, last_hash);
        // The head is locked for this transaction, so it cannot have moved; each statement moves
        // it on to its last event.
        for (size_t first = 0; first < events.size(); first += kMaxAuditRows) {
          const size_t count = std::min(kMaxAuditRows, events.size() - first);
          const AuditEvent* before = first == 0 ? nullptr : &events[first - 1];
          if (!cache_.Get<AppendChainedStatement>(sql_, static_cast<int>(count))
                   .Run(events, first, before ? before->seq : last_seq,
                        before ? before->hash : last_hash)) {
            throw std::runtime_error("the audit chain head moved under its lock");
          }
        }
        return Status::Ok();
      }
      auto& head = cache_.Get<LockHeadStatement<false>>(sql_);
      head.st.execute();
      while (head.st.fetch()) std::tie(last_seq, last_hash) = std::tie(head.seq, head.hash);
      ChainFrom(events, last_seq, last_hash);
      for (size_t first = 0; first < events.size(); first += kMaxAuditRows) {
        const size_t count = std::min(kMaxAuditRows, events.size() - first);
        cache_.Get<InsertAuditStatement>(sql_, static_cast<int>(count)).Run(events, first);
      }
      auto& update = cache_.Get<UpdateHeadStatement>(sql_);
      update.seq = events.back().seq;
      update.hash = events.back().hash;
      update.st.execute(true);
      return Status::Ok();
    });
  }

  Result<std::vector<AuditEvent>> Scan(int64_t after_seq, int limit) override {
    return GuardCached(cache_, "read audit events", [&]() -> Result<std::vector<AuditEvent>> {
      long long after = after_seq;
      int lim = limit;
      AuditRow row;
      auto pt = (sql_.prepare << "SELECT " << kAuditColumns
                              << " FROM audit_events WHERE seq > :after ORDER BY seq LIMIT :lim");
      row.Bind(pt);
      pt, soci::use(after, "after"), soci::use(lim, "lim");
      soci::statement st(pt);
      st.execute();
      std::vector<AuditEvent> out;
      while (st.fetch()) out.push_back(row.ToEvent());
      return out;
    });
  }

  Result<std::pair<int64_t, std::string>> Head() override {
    return GuardCached(cache_, "read audit head", [&]() -> Result<std::pair<int64_t, std::string>> {
      long long seq = 0;
      std::string hash;
      sql_ << "SELECT last_seq, last_hash FROM audit_head WHERE id = 1", soci::into(seq),
          soci::into(hash);
      return std::make_pair(static_cast<int64_t>(seq), hash);
    });
  }

  Result<std::vector<AuditEvent>> Recent(int limit, const std::string& patient_id) override {
    return GuardCached(cache_, "read audit events", [&]() -> Result<std::vector<AuditEvent>> {
      std::string pid = patient_id, pid2 = patient_id;
      int lim = limit;
      AuditRow row;
      auto pt = (sql_.prepare << "SELECT " << kAuditColumns
                              << " FROM audit_events WHERE (:pid = '' OR patient_id = :pid2) "
                                 "ORDER BY seq DESC LIMIT :lim");
      row.Bind(pt);
      pt, soci::use(pid, "pid"), soci::use(pid2, "pid2"), soci::use(lim, "lim");
      soci::statement st(pt);
      st.execute();
      std::vector<AuditEvent> out;
      while (st.fetch()) out.push_back(row.ToEvent());
      return out;
    });
  }

 private:
  soci::session& sql_;
  Dialect dialect_;
  StatementCache& cache_;
};

// ---------------------------------------------------------------------------------------------
// Settings

class SociSettings final : public SettingsRepository {
 public:
  explicit SociSettings(soci::session& sql) : sql_(sql) {}

  Result<SiteSettings> Current() override {
    return Guard("read settings", [&]() -> Result<SiteSettings> {
      std::string key;
      double value = 0;
      long long version = 0, newest = 0;
      soci::statement st =
          (sql_.prepare << "SELECT s.key, s.value, s.version FROM settings s WHERE s.version = "
                           "(SELECT MAX(version) FROM settings t WHERE t.key = s.key)",
           soci::into(key), soci::into(value), soci::into(version));
      st.execute();
      std::map<std::string, double, std::less<>> overrides;
      while (st.fetch()) {
        overrides[key] = value;
        newest = std::max(newest, version);
      }
      return SiteSettings(newest, std::move(overrides));
    });
  }

  Result<int64_t> Set(std::string_view key, double value, const ChangeInfo& change) override {
    return Guard("write setting", [&]() -> Result<int64_t> {
      long long version = 0;
      soci::indicator ind = soci::i_null;
      sql_ << "SELECT MAX(version) FROM settings", soci::into(version, ind);
      if (ind != soci::i_ok) version = 0;
      ++version;
      std::string k(key), at = Ts(change.at), by = change.by, reason = change.reason.value_or("");
      soci::indicator reason_ind = change.reason ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO settings (version, key, value, changed_at, changed_by, reason) VALUES "
              "(:version, :key, :value, :at, :by, :reason)",
          soci::use(version, "version"), soci::use(k, "key"), soci::use(value, "value"),
          soci::use(at, "at"), soci::use(by, "by"), soci::use(reason, reason_ind, "reason");
      return static_cast<int64_t>(version);
    });
  }

  Result<std::vector<SettingChange>> History() override {
    return Guard("read settings history", [&]() -> Result<std::vector<SettingChange>> {
      long long version = 0;
      std::string key, at, by, reason;
      double value = 0;
      soci::indicator reason_ind = soci::i_null;
      soci::statement st =
          (sql_.prepare << "SELECT version, key, value, changed_at, changed_by, reason FROM "
                           "settings ORDER BY version",
           soci::into(version), soci::into(key), soci::into(value), soci::into(at), soci::into(by),
           soci::into(reason, reason_ind));
      st.execute();
      std::vector<SettingChange> out;
      while (st.fetch()) {
        SettingChange c{version, key, value, {ParseTs(at), by, std::nullopt}};
        if (reason_ind == soci::i_ok) c.change.reason = reason;
        out.push_back(std::move(c));
      }
      return out;
    });
  }

 private:
  soci::session& sql_;
};

// ---------------------------------------------------------------------------------------------
// Transactions and the store

// Transaction control, prepared once per connection like the hot queries (a one-off BEGIN and
// COMMIT were 12% of a patient read's CPU).
enum class Control { kBegin, kBeginImmediate, kBeginRepeatableRead, kCommit, kRollback };
template <Control kWhat>
struct ControlStatement {
  static const char* Sql() {
    switch (kWhat) {
      case Control::kBegin:
        return "BEGIN";
      case Control::kBeginImmediate:
        return "BEGIN IMMEDIATE";
      case Control::kBeginRepeatableRead:
        return "BEGIN ISOLATION LEVEL REPEATABLE READ";
      case Control::kCommit:
        return "COMMIT";
      case Control::kRollback:
        return "ROLLBACK";
    }
    return "";
  }
  soci::statement st;
  explicit ControlStatement(soci::session& sql) : st((sql.prepare << Sql())) {}
};

template <Control kWhat>
void RunControl(soci::session& sql, StatementCache& cache) {
  cache.Get<ControlStatement<kWhat>>(sql).st.execute(true);
}

// Leases one pooled connection (and its statement cache) for the lifetime of a transaction.
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::vector<StatementCache>& caches)
      : pool_(pool), caches_(caches), pos_(pool.lease()) {}
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& session() { return pool_.at(pos_); }
  StatementCache& cache() { return caches_[pos_]; }

 private:
  soci::connection_pool& pool_;
  std::vector<StatementCache>& caches_;
  size_t pos_;
};

class SociTransaction final : public Transaction {
 public:
  SociTransaction(soci::connection_pool& pool, std::vector<StatementCache>& caches, Dialect dialect)
      : lease_(pool, caches),
        sql_(lease_.session()),
        patients_(sql_, lease_.cache(), records_),
        users_(sql_, lease_.cache()),
        sessions_(sql_, lease_.cache()),
        audit_(sql_, dialect, lease_.cache()),
        settings_(sql_) {}

  ~SociTransaction() override {
    if (open_) {
      try {
        RunControl<Control::kRollback>(sql_, lease_.cache());
      } catch (const std::exception&) {
        // The connection is broken; the server rolled back already.
        lease_.cache().Clear();
      }
    }
    records_.ForgetWritten();
  }

  Status Start(Dialect dialect, TxMode mode, PatientCache* records, RecentPatients* recent) {
    // The generation is read before the transaction's first statement, so a change that commits
    // after it was read moves it on and the read below cannot be cached stale.
    records_.cache = records;
    records_.recent = recent;
    if (records) {
      records_.offer = mode == TxMode::kRead;
      records_.generation = records->generation();
    }
    if (dialect == Dialect::kPostgres && mode == TxMode::kRead) return Status::Ok();  // autocommit
    return GuardCached(lease_.cache(), "begin transaction", [&]() -> Status {
      if (dialect == Dialect::kSqlite && mode == TxMode::kWrite) {
        // SQLite: a write transaction takes the write lock up front, so it never fails half-way
        // on a lock upgrade that busy_timeout cannot wait out.
        RunControl<Control::kBeginImmediate>(sql_, lease_.cache());
      } else if (dialect == Dialect::kPostgres && mode == TxMode::kSnapshot) {
        RunControl<Control::kBeginRepeatableRead>(sql_, lease_.cache());
      } else {
        RunControl<Control::kBegin>(sql_, lease_.cache());
      }
      open_ = true;
      return Status::Ok();
    });
  }

  PatientRepository& patients() override { return patients_; }
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  AuditRepository& audit() override { return audit_; }
  SettingsRepository& settings() override { return settings_; }
  // Made on first use: the hot patient read never pays for them.
  CareRepository& care() override {
    if (!care_) care_ = MakeCareRepository(sql_);
    return *care_;
  }
  ScreeningRepository& screening() override {
    if (!screening_) screening_ = MakeScreeningRepository(sql_);
    return *screening_;
  }
  InfusionRepository& infusions() override {
    if (!infusions_) infusions_ = MakeInfusionRepository(sql_);
    return *infusions_;
  }
  LedgerRepository& ledger() override {
    if (!ledger_) ledger_ = MakeLedgerRepository(sql_);
    return *ledger_;
  }
  ScheduleRepository& schedule() override {
    if (!schedule_) schedule_ = MakeScheduleRepository(sql_);
    return *schedule_;
  }

  Status Commit() override {
    if (!open_) return Status::Ok();  // an autocommit read
    return GuardCached(lease_.cache(), "commit", [&]() -> Status {
      RunControl<Control::kCommit>(sql_, lease_.cache());
      open_ = false;
      records_.ForgetWritten();
      return Status::Ok();
    });
  }

 private:
  Lease lease_;
  soci::session& sql_;
  bool open_ = false;
  PatientCacheUse records_;  // before patients_, which holds a reference to it
  SociPatients patients_;
  SociUsers users_;
  SociSessions sessions_;
  SociAudit audit_;
  SociSettings settings_;
  std::unique_ptr<CareRepository> care_;
  std::unique_ptr<ScreeningRepository> screening_;
  std::unique_ptr<InfusionRepository> infusions_;
  std::unique_ptr<LedgerRepository> ledger_;
  std::unique_ptr<ScheduleRepository> schedule_;
};

// Checkpoints the SQLite WAL on its own thread and connection, so that no commit waits for one.
// SQLite's automatic checkpoint (at 1000 WAL pages) runs inside the commit that crosses the mark:
// it copies the WAL into the database file and syncs it before that commit returns. Under the
// audit writer's load that was one commit in a few hundred, each holding every request waiting on
// it for milliseconds, which is where the patient read's p99 went (bench/README.md). The pooled
// connections report their WAL size after each commit (a WAL hook, which replaces the automatic
// checkpoint) and this thread runs a PASSIVE checkpoint, which never blocks readers or the writer.
class SqliteCheckpointer {
 public:
  // Same threshold as SQLite's automatic checkpoint (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT).
  static constexpr int kWalPages = 1000;

  explicit SqliteCheckpointer(const std::string& path) {
    if (sqlite_api::sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
      std::string message = db_ ? sqlite_api::sqlite3_errmsg(db_) : "out of memory";
      sqlite_api::sqlite3_close(db_);
      throw std::runtime_error("cannot open the checkpoint connection: " + message);
    }
    // A connection finds out that the database is in WAL mode only when it first reads it;
    // until then a checkpoint through it does nothing.
    sqlite_api::sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { Run(); });
  }
  ~SqliteCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
    sqlite_api::sqlite3_close(db_);
  }
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Installs the WAL hook on a pooled connection.
  void Watch(sqlite_api::sqlite3* db) { sqlite_api::sqlite3_wal_hook(db, &OnCommit, this); }

 private:
  static int OnCommit(void* self, sqlite_api::sqlite3* /*db*/, const char* /*name*/, int pages) {
    if (pages >= kWalPages) {
      auto* me = static_cast<SqliteCheckpointer*>(self);
      {
        std::lock_guard lock(me->mu_);
        me->wanted_ = true;
      }
      me->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      // PASSIVE copies what is committed without taking the write lock, but under a steady
      // stream of commits it never catches up, and the WAL restarts from its beginning only once
      // every frame is copied. So a RESTART follows: it holds the write lock only for the few
      // frames committed meanwhile and the database sync, and without a busy handler it gives up
      // at once (SQLITE_BUSY) when a write is under way, to be tried after a later commit.
      sqlite_api::sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                            nullptr);
      sqlite_api::sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr,
                                            nullptr);
      lock.lock();
    }
  }

  sqlite_api::sqlite3* db_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

// The busy handler of every pooled SQLite connection: up to 10 s in all, like
// `PRAGMA busy_timeout=10000`, but in short steps. SQLite's own handler sleeps 1, 2, 5, 10, 15,
// 20, 25 ... ms between tries, so the audit writer, meeting the checkpointer's write lock (held
// for a RESTART's last frames and its sync: a few milliseconds on a slow disk), slept on for up
// to 78 ms after the lock was free, and the SQLite read's p99 went from ~5 ms to 83 ms in such
// runs (bench/README.md). Here: every 100 µs for the first 100 ms, then every 2 ms.
int WaitWhileBusy(void* /*unused*/, int tries) {
  constexpr int kShortTries = 1000;                 // x 100 µs = 0.1 s
  constexpr int kLongTries = (10'000 - 100) / 2;    // x 2 ms = 9.9 s
  if (tries >= kShortTries + kLongTries) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(tries < kShortTries ? std::chrono::microseconds(100)
                                                  : std::chrono::microseconds(2000));
  return 1;
}

class SociStore final : public Store {
 public:
  SociStore(Dialect dialect, size_t pool_size)
      : dialect_(dialect), pool_size_(pool_size), pool_(pool_size), caches_(pool_size) {}

  // `path`: the SQLite database file (empty for PostgreSQL).
  Status Open(const std::string& connect, const std::string& path = "") {
    return Guard("open database", [&]() -> Status {
      for (size_t i = 0; i < pool_size_; ++i) {
        soci::session& s = pool_.at(i);
        if (dialect_ == Dialect::kSqlite) {
          s.open(soci::sqlite3, connect);
          // WAL lets readers run beside the writer; FULL syncs every clinical commit to disk;
          // the busy handler (WaitWhileBusy) makes writers from other threads wait instead of
          // failing.
          // No memory map (mmap_size=0): in WAL mode SQLite drops a reader's map whenever another
          // connection has committed, and the audit writer commits every millisecond or so under
          // load, so each reader re-mapped the file (mmap, munmap, a TLB shoot-down across cores)
          // about once every eight reads; plain reads through the page cache were ~9 % faster
          // (bench/README.md).
          ExecScript(s, dialect_,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                     "PRAGMA foreign_keys=ON; PRAGMA mmap_size=0;");
          auto* db = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
          sqlite_api::sqlite3_busy_handler(db, &WaitWhileBusy, nullptr);
          // The database file grows in 4 MiB steps when a checkpoint extends it, not a page at a
          // time: fewer, larger extensions of a file that the audit trail grows all day. (Added
          // while chasing the re-maps above, which it did not stop; kept as ordinary hygiene, its
          // own speed effect unmeasured.)
          int chunk = 4 << 20;
          sqlite_api::sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
          if (!checkpointer_) checkpointer_ = std::make_unique<SqliteCheckpointer>(path);
          checkpointer_->Watch(db);
        } else {
          s.open(soci::postgresql, connect);
          ExecScript(s, dialect_, "SET client_min_messages = warning");
        }
      }
      return Status::Ok();
    });
  }

  ~SociStore() override {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
  }

  // Turns on the patient cache (StoreOptions::patient_cache) once this process holds an exclusive
  // lock on the database file. flock locks are separate from the POSIX locks SQLite itself takes
  // on the same file, so the two never interfere.
  Status CachePatients(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status(StatusCode::kUnavailable, "cannot open the SQLite database file");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return FailedPrecondition(
            "another kclinic server is serving this SQLite database; one server serves a SQLite "
            "database (use PostgreSQL for several)");
      }
      return Status(StatusCode::kUnavailable, "cannot lock the SQLite database file");
    }
    lock_fd_ = fd;
    patient_cache_ = std::make_unique<PatientCache>();
    return Status::Ok();
  }

  std::shared_ptr<const Patient> CachedPatient(const PatientId& id) override {
    return patient_cache_ ? patient_cache_->Find(id.value()) : nullptr;
  }
  bool caches_patients() const override { return patient_cache_ != nullptr; }

  // PostgreSQL with StoreOptions::patient_cache: keeps the records it reads, to be confirmed.
  void KeepRecentPatients() { recent_ = std::make_unique<RecentPatients>(); }
  RecentRecord RecentPatient(const PatientId& id) override {
    return recent_ ? recent_->Find(id.value()) : RecentRecord{};
  }

  Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    if (RefuseBlocking()) {
      return Status(StatusCode::kUnavailable, "the database is not used on the event loop");
    }
    try {
      auto tx = std::make_unique<SociTransaction>(pool_, caches_, dialect_);
      KC_RETURN_IF_ERROR(tx->Start(dialect_, mode, patient_cache_.get(), recent_.get()));
      return std::unique_ptr<Transaction>(std::move(tx));
    } catch (const std::exception& e) {
      return FromSociException(e, "begin transaction");
    }
  }

  // PostgreSQL: one statement in autocommit, from the head this store's last append left (no
  // BEGIN, lock or COMMIT round trips; AppendChainedStatement). When there is no such guess, or
  // another server or a transaction's own append has moved the head since (then nothing was
  // written), the events go in through the locked transaction instead (Store::AppendAudit:
  // SELECT ... FOR UPDATE on the head). Re-reading the head and trying without the lock again
  // could starve: a server whose guess is right needs one round trip per append and would win
  // every race against one that needs two. The lock queues them, so each append makes progress.
  // SQLite: the transaction as always (no round trips to save; BEGIN IMMEDIATE serialises).
  Status AppendAudit(std::vector<AuditEvent>& events) override {
    if (dialect_ != Dialect::kPostgres) return Store::AppendAudit(events);
    if (events.empty()) return Status::Ok();
    if (RefuseBlocking()) {
      return Status(StatusCode::kUnavailable, "the database is not used on the event loop");
    }
    std::lock_guard lock(head_mu_);
    if (head_ && events.size() <= kMaxAuditRows) {  // one statement, so all or nothing
      const long long seq = head_->first;
      const std::string hash = std::move(head_->second);
      head_.reset();  // until an append says where the head is
      try {
        Lease lease(pool_, caches_);
        Result<bool> stored =
            GuardCached(lease.cache(), "append audit events", [&]() -> Result<bool> {
              ChainFrom(events, seq, hash);
              return lease.cache()
                  .Get<AppendChainedStatement>(lease.session(), static_cast<int>(events.size()))
                  .Run(events, 0, seq, hash);
            });
        if (!stored.ok()) return stored.status();
        if (*stored) {
          head_ = std::make_pair(static_cast<long long>(events.back().seq), events.back().hash);
          ConfirmServed(events);
          return Status::Ok();
        }
      } catch (const std::exception& e) {  // leasing a connection
        return FromSociException(e, "append audit events");
      }
    }
    KC_RETURN_IF_ERROR(Store::AppendAudit(events));
    head_ = std::make_pair(static_cast<long long>(events.back().seq), events.back().hash);
    ConfirmServed(events);
    return Status::Ok();
  }

  // For the events whose read was answered from a recent record (served_rev): served_stale when
  // that is no longer the patient's revision, or when the check itself failed (the server then
  // reads the record again, so a failed check costs a read, never a stale answer). The check is
  // its own statement, after the events are stored: its snapshot is taken after every request of
  // the batch arrived, so a confirmed record was current at a moment between the request and its
  // answer, as a read of the database would have been.
  void ConfirmServed(std::vector<AuditEvent>& events) {
    std::string ids;
    for (const AuditEvent& e : events) {
      if (e.served_rev != 0) AppendArrayElement(ids, e.patient_id);
    }
    if (ids.empty()) return;
    ids += '}';
    std::unordered_map<std::string, long long> current;
    Status checked = [&]() -> Status {
      try {
        Lease lease(pool_, caches_);
        return GuardCached(lease.cache(), "check patient revisions", [&]() -> Status {
          auto& q = lease.cache().Get<PatientRevsStatement>(lease.session());
          q.key = std::move(ids);
          q.st.execute();
          while (q.st.fetch()) current[q.id] = q.rev;
          return Status::Ok();
        });
      } catch (const std::exception& e) {  // leasing a connection
        return FromSociException(e, "check patient revisions");
      }
    }();
    for (AuditEvent& e : events) {
      if (e.served_rev == 0) continue;
      auto it = current.find(e.patient_id);
      e.served_stale = !checked.ok() || it == current.end() || it->second != e.served_rev;
    }
  }

  Result<int> Migrate() override {
    return Guard("migrate", [&]() -> Result<int> {
      Lease lease(pool_, caches_);
      soci::session& sql = lease.session();
      ExecScript(sql, dialect_,
                 "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      int applied = 0;
      for (const Migration& m : MigrationsFor(backend())) {
        // Each migration and its record commit together; a second server racing to apply the
        // same one fails on the primary key and rolls back.
        ExecScript(sql, dialect_, dialect_ == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        try {
          int done = 0;
          int number = m.number;
          sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v",
              soci::use(number, "v"), soci::into(done);
          if (done == 0) {
            ExecScript(sql, dialect_, m.sql);
            std::string name = m.name, at = FormatTimestamp(SystemClock::Get().Now());
            sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
                soci::use(number, "v"), soci::use(name, "n"), soci::use(at, "a");
            ++applied;
          }
          ExecScript(sql, dialect_, "COMMIT");
        } catch (...) {
          try {
            ExecScript(sql, dialect_, "ROLLBACK");
          } catch (...) {
          }
          throw;
        }
      }
      return applied;
    });
  }

  std::string_view backend() const override {
    return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
  }

  bool Ping() override {
    try {
      Lease lease(pool_, caches_);
      int one = 0;
      lease.session() << "SELECT 1", soci::into(one);
      return one == 1;
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  Dialect dialect_;
  size_t pool_size_;
  // SQLite only. Declared before the pool, so it outlives the connections whose WAL hook calls it.
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
  soci::connection_pool pool_;
  // One per pooled connection, indexed like the pool; declared after it, so destroyed first
  // (statements must go before their sessions).
  std::vector<StatementCache> caches_;
  std::unique_ptr<PatientCache> patient_cache_;  // null unless CachePatients succeeded
  std::unique_ptr<RecentPatients> recent_;       // null unless KeepRecentPatients
  // PostgreSQL: the audit chain head as this store's last AppendAudit left it (seq, hash), or
  // unknown. Only a guess: an append from it stores anything only if it is still the head.
  std::mutex head_mu_;
  std::optional<std::pair<long long, std::string>> head_;
  int lock_fd_ = -1;
};

}  // namespace

// SOCI's own connect-string parsing mangles libpq URLs, so libpq parses the URL and SOCI gets
// the equivalent keyword=value string.
Result<std::string> PostgresConnectString(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (!options) {
    if (err) PQfreemem(err);
    return InvalidArgument("db", "is not a valid postgresql:// URL");
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string value;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') value += '\\';
      value += *c;
    }
    out += std::string(o->keyword) + "='" + value + "' ";
  }
  PQconninfoFree(options);
  return out;
}

// Each pooled connection is used by one thread at a time, so SQLite's own per-call mutexes and
// its memory statistics (a global mutex per allocation) are pure overhead here. sqlite3_config
// only works before SQLite initialises, so this runs once, before the first connection.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

Result<std::unique_ptr<domain::Store>> OpenStore(const StoreOptions& options) {
  const std::string& url = options.url;
  size_t pool = std::max<size_t>(options.pool_size, 2);
  if (url.rfind("sqlite:", 0) == 0) {
    ConfigureSqliteOnce();
    std::string path = url.substr(7);
    if (path.empty())
      return InvalidArgument("db", "sqlite: needs a file path, like sqlite:var/kclinic.db");
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto store = std::make_unique<SociStore>(Dialect::kSqlite, pool);
    Status s = store->Open("db=" + path + " timeout=10", path);
    if (!s.ok())
      return Status(StatusCode::kUnavailable, "cannot open the SQLite database: " + s.message());
    if (options.patient_cache) KC_RETURN_IF_ERROR(store->CachePatients(path));
    return std::unique_ptr<domain::Store>(std::move(store));
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    KC_ASSIGN_OR_RETURN(std::string connect, PostgresConnectString(url));
    auto store = std::make_unique<SociStore>(Dialect::kPostgres, pool);
    Status s = store->Open(connect);
    if (!s.ok()) {
      // The driver's message may echo the URL with its password: say only what failed.
      return Status(StatusCode::kUnavailable, "cannot connect to the PostgreSQL database");
    }
    if (options.patient_cache) store->KeepRecentPatients();
    return std::unique_ptr<domain::Store>(std::move(store));
  }
  return InvalidArgument("db", "must start with sqlite: or postgresql://");
}

}  // namespace kclinic::store
