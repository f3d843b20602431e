// Strict reading of JSON request bodies: every field has one type, unknown fields are errors, and
// every error names the field as a dotted path.
#pragma once

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"

namespace kclinic::codec {

using Json = nlohmann::json;

// Parses `body` as one JSON object. InvalidArgument (field "body") for malformed JSON, a
// non-object, or duplicate keys.
Result<Json> ParseObject(std::string_view body);

// Reads the members of one JSON object, remembering which were consumed so that Finish() can
// reject the rest. `path` prefixes field names in errors ("" at the top level).
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  bool Has(std::string_view key) const;
  // Each returns nullopt when absent; InvalidArgument when present with the wrong type. A JSON
  // null counts as absent unless noted.
  Result<std::optional<std::string>> String(std::string_view key);
  Result<std::optional<double>> Number(std::string_view key);
  Result<std::optional<int64_t>> Integer(std::string_view key);
  Result<std::optional<bool>> Bool(std::string_view key);
  // An object member; nullopt when absent. The returned reader must be Finish()ed too.
  Result<std::optional<ObjectReader>> Object(std::string_view key);
  Result<std::optional<std::vector<std::string>>> StringArray(std::string_view key);
  // A calendar date "YYYY-MM-DD"; InvalidArgument "must be a date YYYY-MM-DD" otherwise.
  Result<std::optional<std::chrono::year_month_day>> Date(std::string_view key);
  // True when the member is present and JSON null.
  bool IsNull(std::string_view key) const;

  // Requires a member; InvalidArgument "is required" when absent.
  Result<std::string> RequiredString(std::string_view key);
  Result<double> RequiredNumber(std::string_view key);

  // InvalidArgument naming the first member that was never read.
  Status Finish() const;

  std::string FieldPath(std::string_view key) const;

 private:
  const Json* Find(std::string_view key);
  const Json& object_;
  std::string path_;
  std::vector<std::string> consumed_;
};

// `key` under the dotted `path` ("" at the top level): the field name an error reports.
std::string JoinPath(const std::string& path, std::string_view key);

// InvalidArgument "is not a known field" naming the first member of `object` not in `known`
// (for objects read by hand, whose members an ObjectReader cannot see).
Status RejectUnknownMembers(const Json& object, const std::string& path,
                            std::initializer_list<std::string_view> known);

// A request body with no members (sign, complete): InvalidArgument naming the first member.
Status DecodeEmptyRequest(const Json& body);

// A request body of exactly one required string member `key` ({"reason": "..."}):
// InvalidArgument `key` "is required" / "must be a string", or naming an unknown member.
Result<std::string> DecodeOneStringRequest(const Json& body, std::string_view key);
// A request body of exactly these required string members, their values in the same order.
Result<std::vector<std::string>> DecodeStringsRequest(const Json& body,
                                                      std::initializer_list<std::string_view> keys);

}  // namespace kclinic::codec
