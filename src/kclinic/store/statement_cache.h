// Internal to store/: the statements each pooled connection prepares once and keeps.
#pragma once

#include <map>
#include <memory>
#include <typeindex>
#include <unordered_map>
#include <utility>

#include "kclinic/store/soci_common.h"

namespace kclinic::store::internal {

// Statements prepared once per pooled connection and reused: SOCI prepares a one-off query on
// every call, which profiling showed to be the largest cost of a patient read. Each cached type
// T is constructed with the session and binds its into/use variables to its own members.
// On any database error the connection's cache is cleared, so a broken statement is not reused.
class StatementCache {
 public:
  template <typename T>
  T& Get(soci::session& sql) {
    auto& slot = entries_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_unique<Holder<T>>(sql);
    return static_cast<Holder<T>&>(*slot).value;
  }
  // The same for statements made in several shapes, one per `key` (e.g. a row count).
  template <typename T>
  T& Get(soci::session& sql, int key) {
    auto& slot = keyed_[{std::type_index(typeid(T)), key}];
    if (!slot) slot = std::make_unique<KeyedHolder<T>>(sql, key);
    return static_cast<KeyedHolder<T>&>(*slot).value;
  }
  void Clear() {
    entries_.clear();
    keyed_.clear();
  }

 private:
  struct Base {
    virtual ~Base() = default;
  };
  template <typename T>
  struct Holder final : Base {
    explicit Holder(soci::session& sql) : value(sql) {}
    T value;
  };
  template <typename T>
  struct KeyedHolder final : Base {
    KeyedHolder(soci::session& sql, int key) : value(sql, key) {}
    T value;
  };
  std::unordered_map<std::type_index, std::unique_ptr<Base>> entries_;
  std::map<std::pair<std::type_index, int>, std::unique_ptr<Base>> keyed_;
};

// Runs `f`, turning an exception into a Status and clearing `cache`.
template <typename F>
auto GuardCached(StatementCache& cache, std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    cache.Clear();
    return FromSociException(e, what);
  }
}

}  // namespace kclinic::store::internal
