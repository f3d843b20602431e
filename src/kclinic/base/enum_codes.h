// The codes of an enum, kept in one table beside the enum's declaration: the code a status is
// stored and shown as, and its parse. Strings exist only at the codec boundary (the store's
// columns, the API's JSON, the CLI); everywhere else a status is its enum (issue 20).
//
//   enum class Phase { kInduction, kEnded };
//   template <> struct EnumCodes<Phase> {
//     static constexpr std::pair<Phase, std::string_view> kRows[] = {
//         {Phase::kInduction, "induction"}, {Phase::kEnded, "ended"}};
//   };
//   Code(Phase::kEnded) == "ended";  ParseCode<Phase>("ended") == Phase::kEnded;
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace kclinic {

// Specialised once per enum with `static constexpr std::pair<E, std::string_view> kRows[]`.
template <typename E>
struct EnumCodes;

template <typename E>
concept CodedEnum = std::is_enum_v<E> && requires {
  EnumCodes<E>::kRows;
};

// The code of `e` ("" only for a value outside the table, which a test of each table rules out).
template <CodedEnum E>
constexpr std::string_view Code(E e) {
  for (const auto& [value, code] : EnumCodes<E>::kRows) {
    if (value == e) return code;
  }
  return {};
}

// The enum value of `code`, or nullopt for an unknown code.
template <CodedEnum E>
constexpr std::optional<E> ParseCode(std::string_view code) {
  for (const auto& [value, c] : EnumCodes<E>::kRows) {
    if (c == code) return value;
  }
  return std::nullopt;
}

// "a, b or c": the codes for an error message that says what is accepted.
template <CodedEnum E>
std::string CodeList() {
  std::string out;
  const auto& rows = EnumCodes<E>::kRows;
  const size_t n = std::size(rows);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += rows[i].second;
  }
  return out;
}

}  // namespace kclinic
