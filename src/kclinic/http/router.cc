#include "kclinic/http/router.h"

#include "kclinic/http/error.h"

namespace kclinic::http {

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// True when `path` (already split) fits `pattern` (already split); fills `params` only then.
bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!IsParam(pattern[i]) && pattern[i] != path[i]) return false;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i])) {
      params->emplace(pattern[i].substr(1, pattern[i].size() - 2), std::string(path[i]));
    }
  }
  return true;
}

}  // namespace

Response RunHandler(const Route& route, RouteContext& ctx) {
  Result<Response> answer = route.handler(ctx);
  if (!answer.ok()) return ErrorResponse(answer.status());
  return std::move(answer).value();
}

void Router::Add(Route route) {
  std::vector<std::string> segments;
  for (std::string_view part : Split(route.pattern)) segments.emplace_back(part);
  by_length_[segments.size()].push_back(routes_.size());
  segments_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

RouteMatch Router::Find(std::string_view method, std::string_view path) const {
  RouteMatch match;
  if (path.size() > 1 && path.back() == '/') return match;  // no route ends in a slash
  const std::vector<std::string_view> got = Split(path);
  auto same_length = by_length_.find(got.size());
  if (same_length == by_length_.end()) return match;
  const std::vector<size_t>& candidates = same_length->second;
  // First the route itself; the Allow list is only needed when the method has none.
  for (size_t i : candidates) {
    const Route& r = routes_[i];
    if (r.method != method) continue;
    std::map<std::string, std::string> params;
    if (!MatchSegments(segments_[i], got, &params)) continue;
    match.route = &r;
    match.params = std::move(params);
    match.path_known = true;
    return match;
  }
  for (size_t i : candidates) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(segments_[i], got, &params)) continue;
    match.path_known = true;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += routes_[i].method;
  }
  return match;
}

}  // namespace kclinic::http
