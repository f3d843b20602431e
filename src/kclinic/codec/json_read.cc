#include "kclinic/codec/json_read.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "kclinic/base/clock.h"

namespace kclinic::codec {

namespace {

// The path of the first string, member name or value, that holds a NUL character: free text
// with one is cut short by C APIs and logs downstream, so no request may store it.
std::optional<std::string> FirstNul(const Json& j, const std::string& path) {
  if (j.is_string()) {
    if (j.get_ref<const std::string&>().find('\0') != std::string::npos) return path;
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      const std::string at = JoinPath(path, key);
      // A member name with one: the error names the object that holds it, not the name.
      if (key.find('\0') != std::string::npos) return path.empty() ? std::string("body") : path;
      if (auto found = FirstNul(value, at)) return found;
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      if (auto found = FirstNul(j[i], JoinPath(path, std::to_string(i)))) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Json> ParseObject(std::string_view body) {
  if (body.empty()) return InvalidArgument("body", "is empty; expected a JSON object");
  // Duplicate keys are rejected: with them, which value wins is parser-specific.
  std::vector<std::vector<std::string>> keys_by_depth;
  std::string duplicate;
  Json::parser_callback_t cb = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    if (event == E::object_start) {
      keys_by_depth.emplace_back();
    } else if (event == E::object_end) {
      if (!keys_by_depth.empty()) keys_by_depth.pop_back();
    } else if (event == E::key && !keys_by_depth.empty()) {
      auto& keys = keys_by_depth.back();
      const auto& key = parsed.get_ref<const std::string&>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        if (duplicate.empty()) duplicate = key;
      } else {
        keys.push_back(key);
      }
    }
    (void)depth;
    return true;
  };
  Json parsed = Json::parse(body, cb, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!parsed.is_object()) return InvalidArgument("body", "must be a JSON object");
  if (!duplicate.empty()) return InvalidArgument(duplicate, "appears more than once");
  if (auto at = FirstNul(parsed, "")) {
    return InvalidArgument(*at, "must not contain a NUL character");
  }
  return parsed;
}

bool ObjectReader::Has(std::string_view key) const {
  return object_.contains(key) && !object_.at(std::string(key)).is_null();
}

bool ObjectReader::IsNull(std::string_view key) const {
  return object_.contains(key) && object_.at(std::string(key)).is_null();
}

std::string ObjectReader::FieldPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const Json* ObjectReader::Find(std::string_view key) {
  consumed_.emplace_back(key);
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> ObjectReader::String(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return InvalidArgument(FieldPath(key), "must be a string");
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<double>> ObjectReader::Number(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return InvalidArgument(FieldPath(key), "must be a number");
  double d = v->get<double>();
  if (!std::isfinite(d)) return InvalidArgument(FieldPath(key), "must be a finite number");
  return std::optional<double>(d);
}

Result<std::optional<int64_t>> ObjectReader::Integer(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<int64_t>();
  if (!v->is_number_integer()) return InvalidArgument(FieldPath(key), "must be an integer");
  return std::optional<int64_t>(v->get<int64_t>());
}

Result<std::optional<bool>> ObjectReader::Bool(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return InvalidArgument(FieldPath(key), "must be true or false");
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<ObjectReader>> ObjectReader::Object(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<ObjectReader>();
  if (!v->is_object()) return InvalidArgument(FieldPath(key), "must be an object");
  return std::optional<ObjectReader>(ObjectReader(*v, FieldPath(key)));
}

Result<std::optional<std::vector<std::string>>> ObjectReader::StringArray(std::string_view key) {
  const Json* v = Find(key);
  if (!v) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return InvalidArgument(FieldPath(key), "must be an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return InvalidArgument(FieldPath(key) + "." + std::to_string(i), "must be a string");
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::chrono::year_month_day>> ObjectReader::Date(std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto text, String(key));
  if (!text) return std::optional<std::chrono::year_month_day>();
  auto date = ParseDate(*text);
  if (!date) return InvalidArgument(FieldPath(key), "must be a date YYYY-MM-DD");
  return std::optional<std::chrono::year_month_day>(*date);
}

Result<std::string> ObjectReader::RequiredString(std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto value, String(key));
  if (!value) return InvalidArgument(FieldPath(key), "is required");
  return *value;
}

Result<double> ObjectReader::RequiredNumber(std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto value, Number(key));
  if (!value) return InvalidArgument(FieldPath(key), "is required");
  return *value;
}

std::string JoinPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Status RejectUnknownMembers(const Json& object, const std::string& path,
                            std::initializer_list<std::string_view> known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      return InvalidArgument(JoinPath(path, it.key()), "is not a known field");
    }
  }
  return Status::Ok();
}

Status ObjectReader::Finish() const {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (std::find(consumed_.begin(), consumed_.end(), it.key()) == consumed_.end()) {
      return InvalidArgument(FieldPath(it.key()), "is not a known field");
    }
  }
  return Status::Ok();
}

Status DecodeEmptyRequest(const Json& body) { return ObjectReader(body, "").Finish(); }

Result<std::string> DecodeOneStringRequest(const Json& body, std::string_view key) {
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(std::string value, reader.RequiredString(key));
  KC_RETURN_IF_ERROR(reader.Finish());
  return value;
}

Result<std::vector<std::string>> DecodeStringsRequest(
    const Json& body, std::initializer_list<std::string_view> keys) {
  ObjectReader reader(body, "");
  std::vector<std::string> values;
  for (std::string_view key : keys) {
    KC_ASSIGN_OR_RETURN(std::string value, reader.RequiredString(key));
    values.push_back(std::move(value));
  }
  KC_RETURN_IF_ERROR(reader.Finish());
  return values;
}

}  // namespace kclinic::codec
