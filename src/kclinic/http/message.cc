#include "kclinic/http/message.h"

#include <cctype>

namespace kclinic::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

}  // namespace

const std::string& Request::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

std::string Request::Cookie(std::string_view name) const {
  std::string_view all = Header("cookie");
  while (!all.empty()) {
    size_t end = all.find(';');
    std::string_view part = all.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    all.remove_prefix(end + 1);
  }
  return "";
}

void ParseTarget(Request& r) {
  std::string_view target = r.target;
  size_t q = target.find('?');
  if (!PercentDecode(target.substr(0, q), false, &r.path)) {
    r.query_error = "the path has a malformed percent escape";
    return;
  }
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key, value;
      if (!PercentDecode(pair.substr(0, eq), true, &key) ||
          (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value))) {
        r.query_error = "the query string has a malformed percent escape";
        return;
      }
      if (!r.query.emplace(key, value).second) {
        r.query_error = "query parameter '" + key + "' is given more than once";
        return;
      }
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

std::string HeaderSectionProblem(std::string_view head) {
  // The first line is the request line; every later one must start with a field name.
  for (size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    if (at + 2 < head.size() && (head[at + 2] == ' ' || head[at + 2] == '\t')) {
      return "a header line is folded (obs-fold, RFC 9112 section 5.2)";
    }
  }
  return "";
}

std::string FramingProblem(std::string_view transfer_encoding, int hosts, unsigned version) {
  if (!transfer_encoding.empty()) {
    // Codings are case-insensitive tokens separated by commas and optional whitespace.
    std::vector<std::string> codings;
    std::string current;
    for (char c : transfer_encoding) {
      if (c == ',') {
        codings.push_back(current);
        current.clear();
      } else if (c != ' ' && c != '\t') {
        current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    codings.push_back(current);
    if (codings.back() != "chunked") {
      return "Transfer-Encoding must end in chunked (RFC 9112 section 6.3)";
    }
    if (codings.size() > 1) return "no transfer coding but chunked is accepted";
  }
  if (hosts > 1) return "more than one Host header (RFC 9112 section 3.2)";
  if (hosts == 0 && version >= 11)
    return "an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)";
  return "";
}

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != kJson[i]) return false;
  }
  return true;
}

}  // namespace kclinic::http
