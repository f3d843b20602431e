// The Idempotency-Key table (migrations 0012; http/api_idempotency.cc uses it). The same SQL runs
// on SQLite and PostgreSQL.
#include <soci/soci.h>

#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

using domain::IdempotentRequest;

class SociIdempotency final : public domain::IdempotencyRepository {
 public:
  explicit SociIdempotency(soci::session& sql) : sql_(sql) {}

  Result<std::optional<IdempotentRequest>> Get(const UserId& user, std::string_view key) override {
    return Guard("read idempotency key", [&]() -> Result<std::optional<IdempotentRequest>> {
      std::string uid = user.value(), k(key), created;
      IdempotentRequest r;
      soci::indicator found = soci::i_null;
      sql_ << "SELECT fingerprint, status, content_type, body, location, created_at FROM "
              "idempotency_keys WHERE user_id = :uid AND idem_key = :k",
          soci::into(r.fingerprint, found), soci::into(r.status), soci::into(r.content_type),
          soci::into(r.body), soci::into(r.location), soci::into(created), soci::use(uid, "uid"),
          soci::use(k, "k");
      if (!sql_.got_data()) return std::optional<IdempotentRequest>();
      r.created_at = ParseTs(created);
      return std::optional<IdempotentRequest>(std::move(r));
    });
  }

  Status InsertPending(const UserId& user, std::string_view key,
                       const IdempotentRequest& r) override {
    return Guard("reserve idempotency key", [&]() -> Status {
      std::string uid = user.value(), k(key), fp = r.fingerprint, created = Ts(r.created_at);
      int status = 0;
      std::string empty;
      soci::statement st =
          (sql_.prepare << "INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, status, "
                           "content_type, body, location, created_at) VALUES (:uid, :k, :fp, "
                           ":st, :ct, :b, :loc, :at) ON CONFLICT (user_id, idem_key) DO NOTHING",
           soci::use(uid, "uid"), soci::use(k, "k"), soci::use(fp, "fp"), soci::use(status, "st"),
           soci::use(empty, "ct"), soci::use(empty, "b"), soci::use(empty, "loc"),
           soci::use(created, "at"));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Status(StatusCode::kAlreadyExists, "the idempotency key is taken");
      }
      return Status::Ok();
    });
  }

  Status Complete(const UserId& user, std::string_view key, const IdempotentRequest& r) override {
    return Guard("keep idempotent answer", [&]() -> Status {
      std::string uid = user.value(), k(key), ct = r.content_type, body = r.body, loc = r.location;
      int status = r.status;
      sql_ << "UPDATE idempotency_keys SET status = :st, content_type = :ct, body = :b, "
              "location = :loc WHERE user_id = :uid AND idem_key = :k",
          soci::use(status, "st"), soci::use(ct, "ct"), soci::use(body, "b"), soci::use(loc, "loc"),
          soci::use(uid, "uid"), soci::use(k, "k");
      return Status::Ok();
    });
  }

  Status Remove(const UserId& user, std::string_view key) override {
    return Guard("remove idempotency key", [&]() -> Status {
      std::string uid = user.value(), k(key);
      sql_ << "DELETE FROM idempotency_keys WHERE user_id = :uid AND idem_key = :k",
          soci::use(uid, "uid"), soci::use(k, "k");
      return Status::Ok();
    });
  }

  Status RemoveBefore(Timestamp before) override {
    return Guard("prune idempotency keys", [&]() -> Status {
      std::string at = Ts(before);
      sql_ << "DELETE FROM idempotency_keys WHERE created_at < :at", soci::use(at, "at");
      return Status::Ok();
    });
  }

 private:
  soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::IdempotencyRepository> MakeIdempotencyRepository(soci::session& sql) {
  return std::make_unique<SociIdempotency>(sql);
}

}  // namespace kclinic::store
