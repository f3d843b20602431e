#include "kclinic/app/login_throttle.h"

#include "kclinic/domain/user.h"

namespace kclinic::app {

std::string LoginThrottle::Key(std::string_view source, std::string_view username) {
  std::string key(username);
  key += '\n';
  key += source;
  return key;
}

std::optional<LoginThrottle::Wait> LoginThrottle::Check(std::string_view source,
                                                        std::string_view username, Timestamp now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key(source, username));
  if (it == entries_.end() || !it->second.wait) return std::nullopt;
  if (it->second.wait->until > now) return it->second.wait;
  // A lockout that ran out starts the count again; a short delay that ran out keeps it, so the
  // next failure waits longer.
  if (it->second.wait->locked) {
    entries_.erase(it);
  } else {
    it->second.wait.reset();
  }
  return std::nullopt;
}

std::optional<LoginThrottle::Wait> LoginThrottle::Failed(std::string_view source,
                                                         std::string_view username, Timestamp now,
                                                         const domain::SiteSettings& settings) {
  std::lock_guard lock(mu_);
  std::string key = Key(source, username);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxEntries) {
      std::erase_if(entries_,
                    [&](const auto& e) { return !e.second.wait || e.second.wait->until <= now; });
      if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    it = entries_.emplace(std::move(key), Entry{}).first;
  }
  Entry& e = it->second;
  e.failures += 1;
  auto wait = domain::WaitAfterFailures(e.failures, settings);
  if (!wait) {
    e.wait.reset();
    return std::nullopt;
  }
  e.wait = Wait{now + wait->wait, wait->locked};
  return e.wait;
}

void LoginThrottle::Succeeded(std::string_view source, std::string_view username) {
  std::lock_guard lock(mu_);
  entries_.erase(Key(source, username));
}

void LoginThrottle::Clear(std::string_view username) {
  std::lock_guard lock(mu_);
  const std::string prefix = std::string(username) + '\n';
  std::erase_if(entries_, [&](const auto& e) { return e.first.rfind(prefix, 0) == 0; });
}

std::set<std::string> LoginThrottle::LockedUsernames(Timestamp now) {
  std::lock_guard lock(mu_);
  std::set<std::string> locked;
  for (const auto& [key, e] : entries_) {
    if (e.wait && e.wait->locked && e.wait->until > now)
      locked.insert(key.substr(0, key.find('\n')));
  }
  return locked;
}

}  // namespace kclinic::app
