// Idempotency-Key on POST (issue 22 item 10; the IETF httpapi draft "The Idempotency-Key HTTP
// Header Field"): a client that did not get the answer to a create (a dropped connection, a
// server stopping) sends the same request again with the same key and gets the first answer,
// instead of a second record. Keys are the caller's own (per account) and kept 24 hours.
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "kclinic/base/crypto.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"
#include "kclinic/http/error.h"

namespace kclinic::http {

namespace {

constexpr auto kKeepKeys = std::chrono::hours(24);

// 1 to 255 visible ASCII characters (a UUID, as the draft suggests, fits).
bool WellFormedKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Response Api::RunIdempotent(const Route& route, RouteContext& ctx) {
  const std::string& key = ctx.request.Header("idempotency-key");
  if (!WellFormedKey(key)) {
    return ErrorResponse(400, "invalid_argument",
                         "must be 1 to 255 visible characters (a UUID, for example)",
                         "Idempotency-Key");
  }
  const UserId& user = ctx.actor().user_id;
  const Timestamp now = env_.clock.Now();
  domain::IdempotentRequest request;
  request.fingerprint =
      Sha256Hex(ctx.request.method + '\n' + ctx.request.path + '\n' + ctx.request.body);
  request.created_at = now;

  // Reserve the key, or find what it already answered.
  auto earlier = [&]() -> Result<std::optional<domain::IdempotentRequest>> {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    KC_ASSIGN_OR_RETURN(auto found, tx->idempotency().Get(user, key));
    if (found && found->created_at + kKeepKeys < now) {
      KC_RETURN_IF_ERROR(tx->idempotency().Remove(user, key));  // expired: the key is free again
      found.reset();
    }
    if (found) return found;
    Status reserved = tx->idempotency().InsertPending(user, key, request);
    if (reserved.code() == StatusCode::kAlreadyExists) {
      // A concurrent request with the key got there first: it runs, this one waits for it.
      domain::IdempotentRequest running = request;
      return std::optional<domain::IdempotentRequest>(running);
    }
    KC_RETURN_IF_ERROR(reserved);
    // Forget old keys now and then (at most once an hour per server).
    const int64_t hour =
        std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count();
    if (last_key_prune_hour_.exchange(hour) != hour) {
      KC_RETURN_IF_ERROR(tx->idempotency().RemoveBefore(now - kKeepKeys));
    }
    KC_RETURN_IF_ERROR(tx->Commit());
    return std::optional<domain::IdempotentRequest>();
  }();
  if (!earlier.ok()) return ErrorResponse(earlier.status());
  if (*earlier) {
    const domain::IdempotentRequest& e = **earlier;
    if (e.fingerprint != request.fingerprint) {
      return ErrorResponse(422, "idempotency_key_reused",
                           "this Idempotency-Key was sent before with a different request; use a "
                           "new key for a new request",
                           "Idempotency-Key");
    }
    if (e.status == 0) {
      return ErrorResponse(409, "idempotency_key_in_use",
                           "a request with this Idempotency-Key is still running, or was "
                           "interrupted before its answer was kept; check whether it took "
                           "effect before sending it again with a new key",
                           "Idempotency-Key");
    }
    // The first answer again. It may carry a patient's record: the read is audited like any
    // other, naming the patient (the route's, or the one a registration made).
    std::string patient;
    if (route.pattern.starts_with("/api/v1/patients/{id}")) {
      patient = ctx.params.count("id") ? ctx.params.at("id") : "";
    } else if (route.pattern == "/api/v1/patients") {
      auto made = nlohmann::json::parse(e.body, nullptr, /*allow_exceptions=*/false);
      if (made.is_object() && made.contains("id") && made["id"].is_string()) patient = made["id"];
    }
    if (!IsWellFormedId(patient)) patient.clear();
    Status audited = env_.audit.Append(app::MakeEvent(
        env_, &ctx.actor(), "request.replay", std::string(route.pattern), "success", patient));
    if (!audited.ok()) return ErrorResponse(audited);
    Response replay;
    replay.status = e.status;
    replay.content_type = e.content_type;
    replay.body = e.body;
    if (!e.location.empty()) replay.headers.emplace_back("Location", e.location);
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }

  Response response = RunHandler(route, ctx);
  // A fault or a rate limit is not the request's answer: the key is freed so that the retry runs.
  const bool final_answer = response.status < 500 && response.status != 429;
  Status kept = [&]() -> Status {
    KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kWrite));
    if (final_answer) {
      domain::IdempotentRequest answered = request;
      answered.status = response.status;
      answered.content_type = response.content_type;
      answered.body = response.body;
      for (const auto& [name, value] : response.headers) {
        if (name == "Location") answered.location = value;
      }
      KC_RETURN_IF_ERROR(tx->idempotency().Complete(user, key, answered));
    } else {
      KC_RETURN_IF_ERROR(tx->idempotency().Remove(user, key));
    }
    return tx->Commit();
  }();
  if (!kept.ok()) {
    // The answer stands; a retry then meets the pending key (409), never a second record.
    spdlog::warn(R"("msg":"idempotent answer not kept","route":{},"code":"{}")",
                 nlohmann::json(std::string(route.pattern)).dump(), StatusCodeName(kept.code()));
  }
  return response;
}

}  // namespace kclinic::http
