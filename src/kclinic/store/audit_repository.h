// Internal to store/: the audit trail's repository (the hash-chained append, scans, the head) and
// the statements the store's batched append (SociStore::AppendAudit) shares with it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kclinic/store/sqlite_statement.h"
#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

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
inline void ChainFrom(std::vector<AuditEvent>& events, long long seq, std::string hash) {
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
    domain::AuditQuery q;
    q.limit = limit;
    q.patient_id = patient_id;
    return Query(q);
  }

  Result<std::vector<AuditEvent>> Query(const domain::AuditQuery& q) override {
    return GuardCached(cache_, "read audit events", [&]() -> Result<std::vector<AuditEvent>> {
      // Each value is bound twice under two names (an empty filter matches everything).
      std::string pid = q.patient_id, pid2 = pid, aid = q.actor_id, aid2 = aid,
                  act = q.action_prefix, act2 = act, from = q.from ? Ts(*q.from) : "", from2 = from,
                  to = q.to ? Ts(*q.to) : "", to2 = to;
      int act_len = static_cast<int>(act.size());
      long long before = q.before_seq, before2 = before;
      int lim = q.limit;
      AuditRow row;
      auto pt = (sql_.prepare << "SELECT " << kAuditColumns
                              << " FROM audit_events WHERE (:pid = '' OR patient_id = :pid2) "
                                 "AND (:aid = '' OR actor_id = :aid2) "
                                 "AND (:act = '' OR substr(action, 1, :actlen) = :act2) "
                                 "AND (:from = '' OR at >= :from2) AND (:to = '' OR at < :to2) "
                                 "AND (:before = 0 OR seq < :before2) "
                                 "ORDER BY seq DESC LIMIT :lim");
      row.Bind(pt);
      pt, soci::use(pid, "pid"), soci::use(pid2, "pid2"), soci::use(aid, "aid"),
          soci::use(aid2, "aid2"), soci::use(act, "act"), soci::use(act_len, "actlen"),
          soci::use(act2, "act2"), soci::use(from, "from"), soci::use(from2, "from2"),
          soci::use(to, "to"), soci::use(to2, "to2"), soci::use(before, "before"),
          soci::use(before2, "before2"), soci::use(lim, "lim");
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

}  // namespace kclinic::store::internal
