// Strong identifier types: a PatientId is not a UserId, and neither can be streamed to a log by
// accident (C++ Core Guidelines I.4; userver StrongTypedef). Ids are opaque random strings of 32
// lowercase hex digits (base/random.h makes them).
#pragma once

#include <string>
#include <string_view>

namespace kclinic {

// True when `text` has the shape of an id: exactly 32 lowercase hex digits.
bool IsWellFormedId(std::string_view text);

template <typename Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}
  const std::string& value() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend bool operator==(const StrongId&, const StrongId&) = default;
  friend auto operator<=>(const StrongId&, const StrongId&) = default;

 private:
  std::string value_;
};

using PatientId = StrongId<struct PatientIdTag>;
using UserId = StrongId<struct UserIdTag>;
using WeightId = StrongId<struct WeightIdTag>;

}  // namespace kclinic
