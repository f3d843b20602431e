#include "kclinic/store/backup.h"

// SOCI's sqlite3 header wraps <sqlite3.h> in namespace sqlite_api, and the unity build may put
// this file in a batch with one that includes it first: so SQLite is reached through that header
// here too (and libpq through SOCI's PostgreSQL one, which includes <libpq-fe.h>).
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "kclinic/base/clock.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::store {

int64_t SnapshotSummary::RowsOf(std::string_view table) const {
  for (const TableRows& t : tables) {
    if (t.table == table) return t.rows;
  }
  return -1;
}

namespace {

// Why a snapshot of its own and not pg_dump: pg_dump writes PostgreSQL's SQL, which restores into
// PostgreSQL only, needs a pg_dump of the server's major version on the machine that runs kclinic,
// and can be checked only by restoring it into a PostgreSQL server. One REPEATABLE READ
// transaction read into a SQLite file of the same schema gives the same consistency (one MVCC
// snapshot; writers are not blocked), and the same payload whichever the source: `backup verify`
// checks it with SQLite alone, and `restore` puts it into either back end. PostgreSQL's own
// point-in-time recovery (docs/operations.md) is the complement, not the replacement.

// Failures inside this file; each public function turns one into a Status.
struct BackupError : std::runtime_error {
  BackupError(StatusCode c, const std::string& message) : std::runtime_error(message), code(c) {}
  StatusCode code;
};

[[noreturn]] void Fail(StatusCode code, const std::string& message) {
  throw BackupError(code, message);
}

// One value of a row, as its back end gave it: SQLite's storage class, or PostgreSQL's text.
struct BackupCell {
  enum class Kind { kNull, kInteger, kReal, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string text;  // kText and kBlob
};
using BackupRow = std::vector<BackupCell>;

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + QuoteIdent(c);
  return out;
}

// The tables a payload never carries: the migrations' own record (each database keeps its own)
// and SQLite's internal ones.
bool IsBookkeepingTable(std::string_view table) {
  return table == "schema_migrations" || table.starts_with("sqlite_");
}

// Columns PostgreSQL has and the SQLite schema does not, because they are PostgreSQL's own
// bookkeeping: patients.rev, the record revision the PostgreSQL patient cache confirms
// (migration 0007), which a restore into PostgreSQL numbers afresh from its sequence.
bool IsPostgresOnlyColumn(std::string_view table, std::string_view column) {
  return table == "patients" && column == "rev";
}

// A database reached through its driver's own API (not SOCI's pool), for whole-table copies.
class BackupDb {
 public:
  virtual ~BackupDb() = default;
  virtual std::string_view backend() const = 0;
  virtual void Exec(const std::string& sql) = 0;
  // Base tables of the kclinic schema, sorted by name.
  virtual std::vector<std::string> Tables() = 0;
  virtual std::vector<std::string> Columns(const std::string& table) = 0;
  virtual int64_t QueryInt(const std::string& sql) = 0;
  virtual std::string QueryText(const std::string& sql) = 0;
  virtual void ReadTable(const std::string& table, const std::vector<std::string>& columns,
                         const std::function<void(const BackupRow&)>& fn) = 0;
  // Copies rows into `table`: Write for each, then Finish.
  virtual void StartWrite(const std::string& table, const std::vector<std::string>& columns) = 0;
  virtual void Write(const BackupRow& row) = 0;
  virtual void FinishWrite() = 0;

  int64_t Count(const std::string& table) {
    return QueryInt("SELECT COUNT(*) FROM " + QuoteIdent(table));
  }
  int SchemaVersion() {
    auto tables = Tables();
    if (!std::binary_search(tables.begin(), tables.end(), "schema_migrations")) return 0;
    return static_cast<int>(QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  }
};

class BackupSqlite final : public BackupDb {
 public:
  // `create`: make the file when it does not exist.
  BackupSqlite(const std::string& path, bool create) {
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite_api::sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite_api::sqlite3_errmsg(db_) : "out of memory";
      sqlite_api::sqlite3_close(db_);
      db_ = nullptr;
      Fail(StatusCode::kUnavailable, "cannot open the SQLite database: " + message);
    }
    sqlite_api::sqlite3_busy_timeout(db_, 10000);
  }
  ~BackupSqlite() override {
    sqlite_api::sqlite3_finalize(insert_);
    sqlite_api::sqlite3_close(db_);
  }
  sqlite_api::sqlite3* handle() { return db_; }
  std::string_view backend() const override { return "sqlite"; }

  void Exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite_api::sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite_api::sqlite3_free(err);
      Fail(StatusCode::kInternal, "sqlite: " + message);
    }
  }

  // Runs `sql` and calls `fn` with each row's statement.
  void Query(const std::string& sql, const std::function<void(sqlite_api::sqlite3_stmt*)>& fn) {
    sqlite_api::sqlite3_stmt* st = nullptr;
    Check(sqlite_api::sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr));
    int rc;
    while ((rc = sqlite_api::sqlite3_step(st)) == SQLITE_ROW) fn(st);
    sqlite_api::sqlite3_finalize(st);
    if (rc != SQLITE_DONE) Check(rc);
  }

  std::vector<std::string> Tables() override {
    std::vector<std::string> out;
    Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
          [&](sqlite_api::sqlite3_stmt* st) { out.push_back(Text(st, 0)); });
    return out;
  }
  std::vector<std::string> Columns(const std::string& table) override {
    std::vector<std::string> out;
    Query("SELECT name FROM pragma_table_info(" + QuoteLiteral(table) + ") ORDER BY cid",
          [&](sqlite_api::sqlite3_stmt* st) { out.push_back(Text(st, 0)); });
    return out;
  }
  // The tables `table` refers to by foreign key.
  std::vector<std::string> References(const std::string& table) {
    std::vector<std::string> out;
    Query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(" + QuoteLiteral(table) + ")",
          [&](sqlite_api::sqlite3_stmt* st) { out.push_back(Text(st, 0)); });
    return out;
  }
  int64_t QueryInt(const std::string& sql) override {
    int64_t out = 0;
    Query(sql,
          [&](sqlite_api::sqlite3_stmt* st) { out = sqlite_api::sqlite3_column_int64(st, 0); });
    return out;
  }
  std::string QueryText(const std::string& sql) override {
    std::string out;
    Query(sql, [&](sqlite_api::sqlite3_stmt* st) { out = Text(st, 0); });
    return out;
  }

  void ReadTable(const std::string& table, const std::vector<std::string>& columns,
                 const std::function<void(const BackupRow&)>& fn) override {
    BackupRow row(columns.size());
    Query("SELECT " + ColumnList(columns) + " FROM " + QuoteIdent(table),
          [&](sqlite_api::sqlite3_stmt* st) {
            for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
              BackupCell& c = row[i];
              switch (sqlite_api::sqlite3_column_type(st, i)) {
                case SQLITE_INTEGER:
                  c.kind = BackupCell::Kind::kInteger;
                  c.integer = sqlite_api::sqlite3_column_int64(st, i);
                  break;
                case SQLITE_FLOAT:
                  c.kind = BackupCell::Kind::kReal;
                  c.real = sqlite_api::sqlite3_column_double(st, i);
                  break;
                case SQLITE_TEXT:
                  c.kind = BackupCell::Kind::kText;
                  c.text = Text(st, i);
                  break;
                case SQLITE_BLOB: {
                  c.kind = BackupCell::Kind::kBlob;
                  auto* p = static_cast<const char*>(sqlite_api::sqlite3_column_blob(st, i));
                  c.text.assign(p ? p : "", sqlite_api::sqlite3_column_bytes(st, i));
                  break;
                }
                default:
                  c.kind = BackupCell::Kind::kNull;
              }
            }
            fn(row);
          });
  }

  void StartWrite(const std::string& table, const std::vector<std::string>& columns) override {
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) marks += i ? ", ?" : "?";
    std::string sql = "INSERT INTO " + QuoteIdent(table) + " (" + ColumnList(columns) +
                      ") VALUES (" + marks + ")";
    sqlite_api::sqlite3_finalize(insert_);
    insert_ = nullptr;
    Check(sqlite_api::sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert_, nullptr));
  }
  // Text from PostgreSQL goes in as text, and each column's affinity (INTEGER, REAL) turns it
  // into the number the SQLite schema stores (SQLite, "Datatypes In SQLite", 3.1).
  void Write(const BackupRow& row) override {
    for (int i = 0; i < static_cast<int>(row.size()); ++i) {
      const BackupCell& c = row[i];
      int p = i + 1, rc = SQLITE_OK;
      switch (c.kind) {
        case BackupCell::Kind::kNull:
          rc = sqlite_api::sqlite3_bind_null(insert_, p);
          break;
        case BackupCell::Kind::kInteger:
          rc = sqlite_api::sqlite3_bind_int64(insert_, p, c.integer);
          break;
        case BackupCell::Kind::kReal:
          rc = sqlite_api::sqlite3_bind_double(insert_, p, c.real);
          break;
        case BackupCell::Kind::kText:
          rc = sqlite_api::sqlite3_bind_text(insert_, p, c.text.data(),
                                             static_cast<int>(c.text.size()), SQLITE_STATIC);
          break;
        case BackupCell::Kind::kBlob:
          rc = sqlite_api::sqlite3_bind_blob(insert_, p, c.text.data(),
                                             static_cast<int>(c.text.size()), SQLITE_STATIC);
          break;
      }
      Check(rc);
    }
    int rc = sqlite_api::sqlite3_step(insert_);
    sqlite_api::sqlite3_reset(insert_);
    sqlite_api::sqlite3_clear_bindings(insert_);
    if (rc != SQLITE_DONE) Check(rc);
  }
  void FinishWrite() override {
    sqlite_api::sqlite3_finalize(insert_);
    insert_ = nullptr;
  }

 private:
  static std::string Text(sqlite_api::sqlite3_stmt* st, int i) {
    auto* p = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, i));
    return std::string(p ? p : "", sqlite_api::sqlite3_column_bytes(st, i));
  }
  static std::string QuoteLiteral(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  }
  void Check(int rc) {
    if (rc != SQLITE_OK) {
      Fail(StatusCode::kInternal, std::string("sqlite: ") + sqlite_api::sqlite3_errmsg(db_));
    }
  }

  sqlite_api::sqlite3* db_ = nullptr;
  sqlite_api::sqlite3_stmt* insert_ = nullptr;
};

// PostgreSQL's COPY text format (PostgreSQL 15 manual, COPY, "Text Format"): tab-separated
// columns, \N for NULL, backslash escapes for backslash, newline, carriage return and tab.
void AppendCopyText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
}

void AppendCopyCell(std::string& out, const BackupCell& c) {
  char buf[32];
  switch (c.kind) {
    case BackupCell::Kind::kNull:
      out += "\\N";
      break;
    case BackupCell::Kind::kInteger:
      out += std::to_string(c.integer);
      break;
    case BackupCell::Kind::kReal: {
      // The shortest text that reads back as the same double.
      auto r = std::to_chars(buf, buf + sizeof buf, c.real);
      out.append(buf, r.ptr);
      break;
    }
    case BackupCell::Kind::kText:
      AppendCopyText(out, c.text);
      break;
    case BackupCell::Kind::kBlob:
      Fail(StatusCode::kFailedPrecondition,
           "the backup holds binary data, which no kclinic table stores");
  }
}

// Parses one line of COPY text output (without its newline) into `row`.
void ParseCopyLine(std::string_view line, size_t columns, BackupRow& row) {
  row.assign(columns, BackupCell{});
  size_t col = 0;
  std::string field;
  bool escaped_null = false;
  auto finish = [&] {
    if (col >= columns) Fail(StatusCode::kInternal, "COPY gave more columns than asked for");
    BackupCell& c = row[col++];
    if (escaped_null) {
      c.kind = BackupCell::Kind::kNull;
    } else {
      c.kind = BackupCell::Kind::kText;
      c.text = std::move(field);
    }
    field.clear();
    escaped_null = false;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (ch == '\t') {
      finish();
    } else if (ch == '\\' && i + 1 < line.size()) {
      char e = line[++i];
      switch (e) {
        case 'N':
          escaped_null = true;
          break;
        case 'n':
          field += '\n';
          break;
        case 'r':
          field += '\r';
          break;
        case 't':
          field += '\t';
          break;
        case 'b':
          field += '\b';
          break;
        case 'f':
          field += '\f';
          break;
        case 'v':
          field += '\v';
          break;
        default:
          field += e;  // \\ and any other escaped character stand for themselves
      }
    } else {
      field += ch;
    }
  }
  finish();
  if (col != columns) Fail(StatusCode::kInternal, "COPY gave fewer columns than asked for");
}

class BackupPostgres final : public BackupDb {
 public:
  explicit BackupPostgres(const std::string& url) {
    Result<std::string> connect = PostgresConnectString(url);
    if (!connect.ok()) Fail(connect.status().code(), connect.status().message());
    conn_ = PQconnectdb(connect->c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      // libpq's message may echo the URL with its password: say only what failed.
      Fail(StatusCode::kUnavailable, "cannot connect to the PostgreSQL database");
    }
    Exec("SET client_min_messages = warning; SET client_encoding = 'UTF8'");
  }
  ~BackupPostgres() override { PQfinish(conn_); }
  std::string_view backend() const override { return "postgresql"; }

  void Exec(const std::string& sql) override {
    PGresult* res = PQexec(conn_, sql.c_str());
    Check(res, "");
  }
  std::vector<std::string> Tables() override {
    return Column(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name");
  }
  std::vector<std::string> Columns(const std::string& table) override {
    return Column(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND table_name = " +
        Literal(table) + " ORDER BY ordinal_position");
  }
  int64_t QueryInt(const std::string& sql) override {
    auto v = Column(sql);
    return v.empty() || v[0].empty() ? 0 : std::stoll(v[0]);
  }
  std::string QueryText(const std::string& sql) override {
    auto v = Column(sql);
    return v.empty() ? "" : v[0];
  }
  // Columns whose default takes a number from a sequence, with that sequence's name.
  std::vector<std::array<std::string, 3>> SequenceColumns() {
    PGresult* res = PQexec(
        conn_,
        "SELECT table_name, column_name, substring(column_default from 'nextval\\(''([^'']+)''') "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND "
        "column_default LIKE 'nextval(%'");
    Check(res, "", /*keep=*/true);
    std::vector<std::array<std::string, 3>> out;
    for (int r = 0; r < PQntuples(res); ++r) {
      out.push_back({PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), PQgetvalue(res, r, 2)});
    }
    PQclear(res);
    return out;
  }
  std::string Literal(std::string_view s) {
    char* q = PQescapeLiteral(conn_, s.data(), s.size());
    std::string out = q ? q : "''";
    PQfreemem(q);
    return out;
  }

  void ReadTable(const std::string& table, const std::vector<std::string>& columns,
                 const std::function<void(const BackupRow&)>& fn) override {
    std::string sql =
        "COPY (SELECT " + ColumnList(columns) + " FROM " + QuoteIdent(table) + ") TO STDOUT";
    PGresult* res = PQexec(conn_, sql.c_str());
    if (PQresultStatus(res) != PGRES_COPY_OUT) Check(res, "reading " + table);
    PQclear(res);
    BackupRow row;
    char* buf = nullptr;
    int n;
    while ((n = PQgetCopyData(conn_, &buf, 0)) > 0) {
      std::string_view line(buf, n);
      if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
      ParseCopyLine(line, columns.size(), row);
      PQfreemem(buf);
      fn(row);
    }
    if (n == -2) Fail(StatusCode::kUnavailable, "postgresql: reading " + table + " failed");
    Check(PQgetResult(conn_), "reading " + table);
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  }

  void StartWrite(const std::string& table, const std::vector<std::string>& columns) override {
    writing_ = table;
    std::string sql = "COPY " + QuoteIdent(table) + " (" + ColumnList(columns) + ") FROM STDIN";
    PGresult* res = PQexec(conn_, sql.c_str());
    if (PQresultStatus(res) != PGRES_COPY_IN) Check(res, "writing " + table);
    PQclear(res);
    buffer_.clear();
  }
  void Write(const BackupRow& row) override {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buffer_ += '\t';
      AppendCopyCell(buffer_, row[i]);
    }
    buffer_ += '\n';
    if (buffer_.size() >= (1 << 16)) Flush();
  }
  void FinishWrite() override {
    Flush();
    if (PQputCopyEnd(conn_, nullptr) != 1) {
      Fail(StatusCode::kUnavailable, "postgresql: writing " + writing_ + " failed");
    }
    Check(PQgetResult(conn_), "writing " + writing_);
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  }

 private:
  void Flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      Fail(StatusCode::kUnavailable, "postgresql: writing " + writing_ + " failed");
    }
    buffer_.clear();
  }
  std::vector<std::string> Column(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    Check(res, "", /*keep=*/true);
    std::vector<std::string> out;
    for (int r = 0; r < PQntuples(res); ++r) out.emplace_back(PQgetvalue(res, r, 0));
    PQclear(res);
    return out;
  }
  // Clears `res` (unless `keep`) and throws unless it succeeded. The server's message names
  // tables, columns and constraints, never the values of a row.
  void Check(PGresult* res, const std::string& what, bool keep = false) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      if (!keep) PQclear(res);
      return;
    }
    std::string message = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                              ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                              : PQerrorMessage(conn_);
    PQclear(res);
    Fail(StatusCode::kInternal,
         "postgresql: " + (what.empty() ? std::string() : what + ": ") + message);
  }

  PGconn* conn_ = nullptr;
  std::string writing_;
  std::string buffer_;
};

template <typename Fn>
auto Guarded(Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const BackupError& e) {
    return Status(e.code, e.what());
  } catch (const std::exception& e) {
    return Internal(std::string("backup: ") + e.what());
  }
}

// Applies the SQLite migrations above the ones `db` has recorded, up to `up_to`, each with its
// record in one transaction, as SociStore::Migrate does.
void ApplySqliteMigrations(BackupSqlite& db, int up_to) {
  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const Migration& m : MigrationsFor("sqlite")) {
    if (m.number > up_to) break;
    if (db.QueryInt("SELECT COUNT(*) FROM schema_migrations WHERE version = " +
                    std::to_string(m.number)) > 0) {
      continue;
    }
    db.Exec("BEGIN IMMEDIATE");
    try {
      db.Exec(m.sql);
      std::string name;
      for (char c : m.name) name += c == '\'' ? std::string("''") : std::string(1, c);
      db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
              std::to_string(m.number) + ", '" + name + "', '" +
              FormatTimestamp(SystemClock::Get().Now()) + "')");
      db.Exec("COMMIT");
    } catch (...) {
      try {
        db.Exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }
}

SnapshotSummary Summarise(BackupDb& db, const std::vector<std::string>& tables) {
  SnapshotSummary s;
  s.schema_version = db.SchemaVersion();
  for (const std::string& t : tables) s.tables.push_back({t, db.Count(t)});
  auto all = db.Tables();
  if (std::binary_search(all.begin(), all.end(), "audit_head")) {
    s.audit_seq = db.QueryInt("SELECT last_seq FROM audit_head WHERE id = 1");
    s.audit_hash = db.QueryText("SELECT last_hash FROM audit_head WHERE id = 1");
  }
  return s;
}

std::vector<std::string> DataTables(BackupDb& db) {
  std::vector<std::string> out;
  for (std::string& t : db.Tables()) {
    if (!IsBookkeepingTable(t)) out.push_back(std::move(t));
  }
  return out;
}

// The payload's tables in an order where every table comes after those it refers to, so that a
// copy into a database that checks foreign keys on each row (PostgreSQL's are not deferrable)
// never meets a reference to a row not yet copied. Ties by name.
std::vector<std::string> InsertOrder(BackupSqlite& db, const std::vector<std::string>& tables) {
  std::map<std::string, std::set<std::string>> needs;
  for (const std::string& t : tables) {
    for (std::string& r : db.References(t)) {
      if (r != t && std::binary_search(tables.begin(), tables.end(), r)) needs[t].insert(r);
    }
  }
  std::vector<std::string> out;
  std::set<std::string> done;
  while (out.size() < tables.size()) {
    bool progressed = false;
    for (const std::string& t : tables) {
      if (done.count(t)) continue;
      const auto& n = needs[t];
      if (std::all_of(n.begin(), n.end(), [&](const std::string& r) { return done.count(r); })) {
        out.push_back(t);
        done.insert(t);
        progressed = true;
      }
    }
    if (!progressed) Fail(StatusCode::kInternal, "the tables' foreign keys form a cycle");
  }
  return out;
}

void CopyTable(BackupDb& from, BackupDb& to, const std::string& table,
               const std::vector<std::string>& columns) {
  to.StartWrite(table, columns);
  from.ReadTable(table, columns, [&](const BackupRow& row) { to.Write(row); });
  to.FinishWrite();
}

SnapshotSummary SnapshotSqlite(const std::string& source_path, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source_path, ec)) {
    Fail(StatusCode::kInvalidArgument, "names no SQLite database file");
  }
  BackupSqlite source(source_path, /*create=*/false);
  auto tables = source.Tables();
  if (!std::binary_search(tables.begin(), tables.end(), "schema_migrations")) {
    Fail(StatusCode::kFailedPrecondition, "the database is not a kclinic database (no migrations)");
  }
  {
    BackupSqlite dest(path, /*create=*/true);
    sqlite_api::sqlite3_backup* b =
        sqlite_api::sqlite3_backup_init(dest.handle(), "main", source.handle(), "main");
    if (!b) {
      Fail(StatusCode::kInternal,
           std::string("sqlite: backup: ") + sqlite_api::sqlite3_errmsg(dest.handle()));
    }
    // All pages in one step: one read transaction on the source, so the copy is one consistent
    // state however the writers go on (a step at a time would restart whenever another
    // connection writes). In WAL mode the writers are not blocked meanwhile. A busy source (a
    // checkpoint resetting the WAL, WAL recovery) is waited out.
    int rc;
    for (int attempt = 0;; ++attempt) {
      rc = sqlite_api::sqlite3_backup_step(b, -1);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 1000) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    sqlite_api::sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      Fail(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? StatusCode::kUnavailable
                                                    : StatusCode::kInternal,
           std::string("sqlite: backup: ") + sqlite_api::sqlite3_errstr(rc));
    }
    // The copy is one self-contained file: no WAL beside it.
    dest.Exec("PRAGMA journal_mode=DELETE");
  }
  BackupSqlite dest(path, /*create=*/false);
  SnapshotSummary s = Summarise(dest, DataTables(dest));
  s.source_backend = "sqlite";
  return s;
}

SnapshotSummary SnapshotPostgres(const std::string& url, const std::string& path) {
  BackupPostgres source(url);
  source.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  int version = source.SchemaVersion();
  if (version == 0) {
    Fail(StatusCode::kFailedPrecondition, "the database is not a kclinic database (no migrations)");
  }
  if (version > LatestSqliteSchema()) {
    Fail(StatusCode::kFailedPrecondition,
         "the database's schema (" + std::to_string(version) +
             ") is newer than this kclinic's: back it up with the kclinic that migrated it");
  }
  BackupSqlite dest(path, /*create=*/true);
  ApplySqliteMigrations(dest, version);
  auto dest_tables = DataTables(dest);
  dest.Exec("BEGIN IMMEDIATE");
  // The payload holds exactly the source's rows: not the ones the migrations insert.
  for (const std::string& t : dest_tables) dest.Exec("DELETE FROM " + QuoteIdent(t));
  for (const std::string& t : DataTables(source)) {
    if (!std::binary_search(dest_tables.begin(), dest_tables.end(), t)) {
      Fail(StatusCode::kFailedPrecondition,
           "the PostgreSQL table " + t + " has no counterpart in the SQLite schema");
    }
    auto dest_columns = dest.Columns(t);
    std::vector<std::string> columns;
    for (std::string& c : source.Columns(t)) {
      if (std::find(dest_columns.begin(), dest_columns.end(), c) != dest_columns.end()) {
        columns.push_back(std::move(c));
      } else if (!IsPostgresOnlyColumn(t, c)) {
        Fail(StatusCode::kFailedPrecondition,
             "the PostgreSQL column " + t + "." + c + " has no counterpart in the SQLite schema");
      }
    }
    CopyTable(source, dest, t, columns);
  }
  dest.Exec("COMMIT");
  source.Exec("COMMIT");
  SnapshotSummary s = Summarise(dest, dest_tables);
  s.source_backend = "postgresql";
  return s;
}

std::unique_ptr<BackupDb> OpenTarget(const std::string& url, bool& exists) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    std::error_code ec;
    exists = std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
    if (!exists) return nullptr;
    return std::make_unique<BackupSqlite>(path, /*create=*/false);
  }
  exists = true;
  return std::make_unique<BackupPostgres>(url);
}

// Refuses a target holding anything beyond what a freshly migrated database holds.
void CheckEmpty(BackupDb& target, BackupSqlite& fresh) {
  auto fresh_tables = fresh.Tables();
  for (const std::string& t : DataTables(target)) {
    // A server's /readyz writes its one row here; that is no data of a clinic.
    if (t == "readiness_checks") continue;
    int64_t rows = target.Count(t);
    int64_t baseline =
        std::binary_search(fresh_tables.begin(), fresh_tables.end(), t) ? fresh.Count(t) : 0;
    if (rows > baseline) {
      Fail(StatusCode::kFailedPrecondition, "the target database is not empty (table " + t +
                                                " holds " + std::to_string(rows) +
                                                " rows): restore only into a new, empty database");
    }
  }
  auto tables = target.Tables();
  if (std::binary_search(tables.begin(), tables.end(), "audit_head") &&
      target.QueryInt("SELECT last_seq FROM audit_head WHERE id = 1") != 0) {
    Fail(StatusCode::kFailedPrecondition,
         "the target database has an audit trail: restore only into a new, empty database");
  }
}

SnapshotSummary Restore(const std::string& path, const std::string& url,
                        const std::string& scratch_dir) {
  const int latest = LatestSqliteSchema();
  {
    BackupSqlite payload(path, /*create=*/false);
    int version = payload.SchemaVersion();
    if (version > latest) {
      Fail(StatusCode::kFailedPrecondition,
           "the backup's schema (" + std::to_string(version) + ") is newer than this kclinic's (" +
               std::to_string(latest) + "): restore it with the kclinic version that took it");
    }
  }
  // 1. The target must be empty; nothing is changed before this is known.
  {
    std::string fresh_path = (std::filesystem::path(scratch_dir) / "fresh.db").string();
    BackupSqlite fresh(fresh_path, /*create=*/true);
    ApplySqliteMigrations(fresh, latest);
    bool exists = false;
    auto target = OpenTarget(url, exists);
    if (target) CheckEmpty(*target, fresh);
  }
  // 2. Both at this program's schema: the payload's data migrations run on the scratch copy.
  BackupSqlite payload(path, /*create=*/false);
  ApplySqliteMigrations(payload, latest);
  {
    Result<std::unique_ptr<domain::Store>> store = OpenStore({url, 2, false});
    if (!store.ok()) Fail(store.status().code(), store.status().message());
    Result<int> migrated = (*store)->Migrate();
    if (!migrated.ok()) Fail(migrated.status().code(), migrated.status().message());
  }
  bool exists = false;
  std::unique_ptr<BackupDb> target = OpenTarget(url, exists);
  if (!target) Fail(StatusCode::kInternal, "the migrated target database is missing");
  const bool postgres = target->backend() == "postgresql";

  // 3. Every table in one transaction, referenced tables first.
  auto tables = DataTables(payload);
  auto order = InsertOrder(payload, tables);
  auto target_tables = target->Tables();
  if (!postgres) target->Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
  target->Exec(postgres ? "BEGIN" : "BEGIN IMMEDIATE");
  try {
    // The rows the target's migrations inserted (the audit head, the standard appointment
    // types) give way to the backup's.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      if (std::binary_search(target_tables.begin(), target_tables.end(), *it) &&
          target->Count(*it) > 0) {
        target->Exec("DELETE FROM " + QuoteIdent(*it));
      }
    }
    for (const std::string& t : order) {
      if (!std::binary_search(target_tables.begin(), target_tables.end(), t)) {
        Fail(StatusCode::kFailedPrecondition, "the target has no table " + t);
      }
      auto target_columns = target->Columns(t);
      auto columns = payload.Columns(t);
      for (const std::string& c : columns) {
        if (std::find(target_columns.begin(), target_columns.end(), c) == target_columns.end()) {
          Fail(StatusCode::kFailedPrecondition, "the target's table " + t + " has no column " + c);
        }
      }
      CopyTable(payload, *target, t, columns);
    }
    if (postgres) {
      // Numbers taken from a sequence must not collide with the restored ones.
      auto& pg = static_cast<BackupPostgres&>(*target);
      for (const auto& [table, column, sequence] : pg.SequenceColumns()) {
        if (sequence.empty()) continue;
        pg.Exec("SELECT setval(" + pg.Literal(sequence) + ", GREATEST((SELECT COALESCE(MAX(" +
                QuoteIdent(column) + "), 0) FROM " + QuoteIdent(table) +
                "), (SELECT last_value FROM " + QuoteIdent(sequence) + ")))");
      }
    }
    target->Exec("COMMIT");
  } catch (...) {
    try {
      target->Exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }

  // 4. What was committed, table by table.
  SnapshotSummary expected = Summarise(payload, tables);
  SnapshotSummary got = Summarise(*target, tables);
  for (const TableRows& t : expected.tables) {
    int64_t rows = got.RowsOf(t.table);
    if (rows != t.rows) {
      Fail(StatusCode::kInternal, "after the restore, table " + t.table + " holds " +
                                      std::to_string(rows) + " rows; the backup holds " +
                                      std::to_string(t.rows));
    }
  }
  if (got.audit_seq != expected.audit_seq || got.audit_hash != expected.audit_hash) {
    Fail(StatusCode::kInternal,
         "after the restore, the audit chain head differs from the backup's");
  }
  return got;
}

}  // namespace

int LatestSqliteSchema() {
  auto all = MigrationsFor("sqlite");
  return all.empty() ? 0 : all.back().number;
}

Result<SnapshotSummary> SnapshotToSqlite(const std::string& url, const std::string& path) {
  return Guarded([&]() -> Result<SnapshotSummary> {
    try {
      if (url.rfind("sqlite:", 0) == 0) return SnapshotSqlite(url.substr(7), path);
      if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        return SnapshotPostgres(url, path);
      }
    } catch (const BackupError& e) {
      if (e.code == StatusCode::kInvalidArgument) return InvalidArgument("db", e.what());
      throw;
    }
    return InvalidArgument("db", "must start with sqlite: or postgresql://");
  });
}

Result<SnapshotSummary> InspectSnapshot(const std::string& path) {
  return Guarded([&]() -> Result<SnapshotSummary> {
    BackupSqlite db(path, /*create=*/false);
    std::vector<std::string> problems;
    db.Query("PRAGMA integrity_check", [&](sqlite_api::sqlite3_stmt* st) {
      auto* p = sqlite_api::sqlite3_column_text(st, 0);
      problems.emplace_back(p ? reinterpret_cast<const char*>(p) : "");
    });
    if (problems.empty() || problems[0] != "ok") {
      return FailedPrecondition("the backup's database fails SQLite's integrity check: " +
                                (problems.empty() ? std::string("no answer") : problems[0]));
    }
    std::string dangling;
    db.Query("PRAGMA foreign_key_check", [&](sqlite_api::sqlite3_stmt* st) {
      if (!dangling.empty()) return;
      auto* t = sqlite_api::sqlite3_column_text(st, 0);
      auto* parent = sqlite_api::sqlite3_column_text(st, 2);
      dangling = std::string(t ? reinterpret_cast<const char*>(t) : "") + " refers to a row of " +
                 (parent ? reinterpret_cast<const char*>(parent) : "") + " that is not there";
    });
    if (!dangling.empty()) {
      return FailedPrecondition("the backup's database fails the foreign key check: " + dangling);
    }
    if (db.SchemaVersion() == 0) {
      return FailedPrecondition("the backup's database is not a kclinic database");
    }
    return Summarise(db, DataTables(db));
  });
}

Result<SnapshotSummary> RestoreSnapshot(const std::string& path, const std::string& url,
                                        const std::string& scratch_dir) {
  if (url.rfind("sqlite:", 0) != 0 && url.rfind("postgresql://", 0) != 0 &&
      url.rfind("postgres://", 0) != 0) {
    return InvalidArgument("db", "must start with sqlite: or postgresql://");
  }
  if (url == "sqlite:") return InvalidArgument("db", "sqlite: needs a file path");
  return Guarded([&]() -> Result<SnapshotSummary> { return Restore(path, url, scratch_dir); });
}

}  // namespace kclinic::store
