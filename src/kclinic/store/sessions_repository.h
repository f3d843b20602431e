// Internal to store/: the login sessions repository.
#pragma once

#include <string>

#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

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

  Status RevokeAllOf(const UserId& user, std::string_view keep) override {
    return GuardCached(cache_, "revoke sessions", [&]() -> Status {
      std::string uid = user.value(), kept(keep);
      sql_ << "UPDATE sessions SET revoked = 1 WHERE user_id = :uid AND revoked = 0 AND "
              "token_hash <> :keep",
          soci::use(uid, "uid"), soci::use(kept, "keep");
      return Status::Ok();
    });
  }

 private:
  soci::session& sql_;
  StatementCache& cache_;
};

}  // namespace kclinic::store::internal
