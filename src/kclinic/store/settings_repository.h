// Internal to store/: the site settings repository (versioned rows).
#pragma once

#include <string>
#include <vector>

#include "kclinic/store/statement_cache.h"

namespace kclinic::store::internal {

// Settings

class SociSettings final : public SettingsRepository {
 public:
  explicit SociSettings(soci::session& sql) : sql_(sql) {}

  Result<SiteSettings> Current() override {
    return Guard("read settings", [&]() -> Result<SiteSettings> {
      std::string key;
      double value = 0;
      long long version = 0, newest = 0;
      soci::statement st =
          (sql_.prepare << "SELECT s.key, s.value, s.version FROM settings s WHERE s.version = "
                           "(SELECT MAX(version) FROM settings t WHERE t.key = s.key)",
           soci::into(key), soci::into(value), soci::into(version));
      st.execute();
      std::map<std::string, double, std::less<>> overrides;
      while (st.fetch()) {
        overrides[key] = value;
        newest = std::max(newest, version);
      }
      return SiteSettings(newest, std::move(overrides));
    });
  }

  Result<int64_t> Set(std::string_view key, double value, const ChangeInfo& change) override {
    return Guard("write setting", [&]() -> Result<int64_t> {
      long long version = 0;
      soci::indicator ind = soci::i_null;
      sql_ << "SELECT MAX(version) FROM settings", soci::into(version, ind);
      if (ind != soci::i_ok) version = 0;
      ++version;
      std::string k(key), at = Ts(change.at), by = change.by, reason = change.reason.value_or("");
      soci::indicator reason_ind = change.reason ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO settings (version, key, value, changed_at, changed_by, reason) VALUES "
              "(:version, :key, :value, :at, :by, :reason)",
          soci::use(version, "version"), soci::use(k, "key"), soci::use(value, "value"),
          soci::use(at, "at"), soci::use(by, "by"), soci::use(reason, reason_ind, "reason");
      return static_cast<int64_t>(version);
    });
  }

  Result<std::vector<SettingChange>> History() override {
    return Guard("read settings history", [&]() -> Result<std::vector<SettingChange>> {
      long long version = 0;
      std::string key, at, by, reason;
      double value = 0;
      soci::indicator reason_ind = soci::i_null;
      soci::statement st =
          (sql_.prepare << "SELECT version, key, value, changed_at, changed_by, reason FROM "
                           "settings ORDER BY version",
           soci::into(version), soci::into(key), soci::into(value), soci::into(at), soci::into(by),
           soci::into(reason, reason_ind));
      st.execute();
      std::vector<SettingChange> out;
      while (st.fetch()) {
        SettingChange c{version, key, value, {ParseTs(at), by, std::nullopt}};
        if (reason_ind == soci::i_ok) c.change.reason = reason;
        out.push_back(std::move(c));
      }
      return out;
    });
  }

 private:
  soci::session& sql_;
};

}  // namespace kclinic::store::internal
