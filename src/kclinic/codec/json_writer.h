// A small streaming JSON writer for hot responses: it appends to one string, with no per-key
// allocation (building an nlohmann::json object and dumping it cost 18 µs for one patient; this
// costs about a tenth of that — bench/patient_json_bench.cc). Output is compact JSON; strings
// are escaped per RFC 8259 §7 and must be valid UTF-8 (all stored text was parsed from JSON or
// validated on entry).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kclinic::codec {

class JsonWriter {
 public:
  // Room for a typical answer up front: growing the string from empty reallocated and copied it
  // a handful of times per patient.
  JsonWriter() { out_.reserve(1024); }
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Writes a member name inside an object; the next value call writes its value.
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Integer(long long value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-serialised JSON as one value.
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

}  // namespace kclinic::codec
