// Status and Result<T>: errors as values (Abseil's Status/StatusOr). The code says what the caller
// should do next; the field names the input that was wrong, when one was.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kclinic {

// Canonical codes, chosen by what the caller does next.
enum class StatusCode {
  kOk,
  kInvalidArgument,     // fix the input named by field() and try again
  kNotFound,            // the thing does not exist
  kAlreadyExists,       // pick another key
  kFailedPrecondition,  // the system is not in a state that allows this
  kAborted,             // conflict with a concurrent change: retry the transaction
  kUnavailable,         // transient: retry the call
  kPermissionDenied,    // authenticated, but this role may not do this
  kUnauthenticated,     // log in (again)
  kResourceExhausted,   // too many attempts or too big: wait or send less
  kInternal,            // our bug
};

// Returns the stable snake_case name used in JSON errors ("invalid_argument").
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field at fault as a dotted path ("name.given"), or empty.
  const std::string& field() const { return field_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string field, std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
}
inline Status NotFound(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}
inline Status PermissionDenied(std::string message) {
  return Status(StatusCode::kPermissionDenied, std::move(message));
}
inline Status Unauthenticated(std::string message, std::string field = {}) {
  return Status(StatusCode::kUnauthenticated, std::move(message), std::move(field));
}
inline Status Internal(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}
inline Status FailedPrecondition(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  // By value, so that `for (auto& x : F().value())` does not dangle when F() returns a temporary.
  T value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace kclinic

// Returns early from the enclosing function with the status of `expr` when it is not OK.
#define KC_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::kclinic::Status kc_status_ = (expr);   \
    if (!kc_status_.ok()) return kc_status_; \
  } while (0)

#define KC_CONCAT_INNER(a, b) a##b
#define KC_CONCAT(a, b) KC_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, or returns its status from the enclosing function.
#define KC_ASSIGN_OR_RETURN(lhs, expr) \
  KC_ASSIGN_OR_RETURN_IMPL(KC_CONCAT(kc_result_, __LINE__), lhs, expr)
#define KC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
