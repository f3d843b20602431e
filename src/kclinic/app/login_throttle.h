// Failed logins and witness checks counted per source and username, in memory on this server
// (domain::WaitAfterFailures): one address guessing, or locking an account as a denial of service,
// is held back without locking the account for everyone else. The account's own count, from every
// source, is stored with the account (domain::CountAccountFailure). Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kclinic/base/clock.h"
#include "kclinic/domain/settings.h"

namespace kclinic::app {

class LoginThrottle {
 public:
  struct Wait {
    Timestamp until;
    bool locked = false;  // a lockout, not a short delay
  };
  // When `source` must still wait at `now` before its next try at `username`; nullopt when it
  // may try (its count stays until a success, a lockout's end or an administrator's unlock).
  std::optional<Wait> Check(std::string_view source, std::string_view username, Timestamp now);
  // Counts a failure of `source` on `username`; returns the wait it now has before the next try.
  std::optional<Wait> Failed(std::string_view source, std::string_view username, Timestamp now,
                             const domain::SiteSettings& settings);
  // A success: the source's count for the username starts again.
  void Succeeded(std::string_view source, std::string_view username);
  // An administrator's unlock: every source's count and lock for the username goes.
  void Clear(std::string_view username);
  // The usernames some source is locked out of at `now` (for the administrator's list).
  std::set<std::string> LockedUsernames(Timestamp now);

  // Bounded: past this many, entries without a wait in force are dropped first.
  static constexpr size_t kMaxEntries = 20000;

 private:
  struct Entry {
    int failures = 0;
    std::optional<Wait> wait;
  };
  static std::string Key(std::string_view source, std::string_view username);
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // "username\nsource"
};

}  // namespace kclinic::app
