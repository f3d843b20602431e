// Internal to store/: the user accounts repository.
#pragma once

#include <string>
#include <vector>

#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

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

}  // namespace kclinic::store::internal
