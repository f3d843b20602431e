// `kclinic backup`, `backup verify`, `backup keygen` and `restore`, run as the real program on
// both back ends (issue 22 item 12): a backup taken while a writer commits holds every write
// acknowledged before it began and restores into either back end with the same rows and audit
// chain; a changed byte, a cut-off file, a wrong key or a manifest that disagrees with the
// payload fails verification with its reason; a restore into a database with data is refused and
// changes nothing.
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "kclinic/base/crypto.h"
#include "support.h"

namespace kclinic::testing {
namespace {

namespace fs = std::filesystem;

// A path in the temp directory for one test, removed (with FILE.tmp) when it goes out of scope.
class BackupPath {
 public:
  explicit BackupPath(const std::string& name)
      : path_((fs::temp_directory_path() / ("kclinic-" + name + "-" + NewId())).string()) {}
  ~BackupPath() {
    std::error_code ec;
    fs::remove(path_, ec);
    fs::remove(path_ + ".tmp", ec);
  }
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

std::string BackupRead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void BackupWrite(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The manifest line of a backup file, parsed.
nlohmann::json BackupManifest(const std::string& path) {
  std::string bytes = BackupRead(path);
  size_t a = bytes.find('\n'), b = bytes.find('\n', a + 1);
  return nlohmann::json::parse(bytes.substr(a + 1, b - a - 1));
}

// Runs `backup verify --json` and returns its JSON (null when it did not answer 0).
nlohmann::json BackupVerifyJson(const std::string& file, const std::string& key = "") {
  auto r = RunKclinic("backup verify --json '" + file + "'" +
                      (key.empty() ? "" : " --key-file '" + key + "'"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

// The tables and audit head of the database at `url`, as a fresh backup of it reports them.
nlohmann::json BackupStateOf(const std::string& url) {
  BackupPath file("state");
  auto r = RunKclinic("backup --db '" + url + "' --to '" + file.str() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return nullptr;
  nlohmann::json m = BackupManifest(file.str());
  return {{"tables", m["tables"]}, {"audit_head", m["audit_head"]}};
}

std::set<int64_t> BackupSettingVersions(domain::Store& store) {
  std::set<int64_t> out;
  auto tx = store.Begin(domain::TxMode::kRead);
  EXPECT_TRUE(tx.ok());
  if (!tx.ok()) return out;
  auto history = (*tx)->settings().History();
  EXPECT_TRUE(history.ok()) << history.status().message();
  if (history.ok()) {
    for (const auto& c : *history) out.insert(c.version);
  }
  return out;
}

class BackupCli : public ::testing::TestWithParam<std::string> {};

TEST_P(BackupCli, TakenWhileWritingRestoresEveryAcknowledgedWriteIntoEitherBackEnd) {
  TestDatabase db(GetParam());
  BackupPath file("backup");
  std::set<int64_t> acknowledged_before;
  int64_t writes_total = 0;
  {
    TestServer server(db, /*demo_patients=*/12);
    // A writer that commits setting changes (each with its audit event in the same transaction)
    // for as long as the backup runs.
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::vector<int64_t> acked;
    std::thread writer([&] {
      app::Env env = server.env();
      for (int i = 0; !stop.load(); ++i) {
        auto v = app::ChangeSetting(env, "test:writer", "auth.lockout_attempts", 5 + i % 3,
                                    "backup test");
        ASSERT_TRUE(v.ok()) << v.status().message();
        std::lock_guard lock(mu);
        acked.push_back(*v);
      }
    });
    for (;;) {
      std::this_thread::yield();
      std::lock_guard lock(mu);
      if (acked.size() >= 20) break;
    }
    {
      std::lock_guard lock(mu);
      acknowledged_before.insert(acked.begin(), acked.end());
    }
    auto backup = RunKclinic("backup --db '" + db.url() + "' --to '" + file.str() + "'");
    size_t during = 0;
    {
      std::lock_guard lock(mu);
      during = acked.size() - acknowledged_before.size();
    }
    stop = true;
    writer.join();
    writes_total = static_cast<int64_t>(acked.size());
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    EXPECT_NE(backup.out.find("backup written: "), std::string::npos) << backup.out;
    EXPECT_GT(during, 0u) << "the writer committed nothing while the backup ran";
  }

  struct stat st {};
  ASSERT_EQ(::stat(file.str().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(file.str() + ".tmp"));

  nlohmann::json manifest = BackupManifest(file.str());
  EXPECT_EQ(manifest["source_backend"], GetParam());
  EXPECT_EQ(manifest["payload"]["encryption"], "none");
  EXPECT_EQ(manifest["tables"]["patients"], 12);
  EXPECT_GE(manifest["tables"]["settings"].get<int64_t>(),
            static_cast<int64_t>(acknowledged_before.size()));
  EXPECT_LE(manifest["tables"]["settings"].get<int64_t>(), writes_total);

  nlohmann::json verified = BackupVerifyJson(file.str());
  EXPECT_EQ(verified["tables"], manifest["tables"]);
  EXPECT_EQ(verified["audit_events_verified"], manifest["audit_head"]["seq"]);
  EXPECT_EQ(manifest["tables"]["audit_events"], manifest["audit_head"]["seq"]);
  auto human = RunKclinic("backup verify '" + file.str() + "'");
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find(" patients, taken "), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find(manifest["created_at"].get<std::string>()), std::string::npos)
      << "no ISO timestamp in the human summary: " << human.out;

  for (const char* target_backend : kBackends) {
    SCOPED_TRACE(std::string("restored into ") + target_backend);
    TestDatabase target(target_backend);
    auto restored = RunKclinic("restore --from '" + file.str() + "' --db '" + target.url() + "'");
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    EXPECT_NE(restored.out.find("restored and verified"), std::string::npos);

    // The same rows in every table and the same audit head as the backup says.
    nlohmann::json state = BackupStateOf(target.url());
    EXPECT_EQ(state["tables"], manifest["tables"]);
    EXPECT_EQ(state["audit_head"], manifest["audit_head"]);

    auto store = target.Open(2);
    ASSERT_TRUE(store);
    auto audit = app::VerifyAuditTrail(*store);
    ASSERT_TRUE(audit.ok());
    EXPECT_FALSE(audit->first_bad_seq) << audit->problem;
    EXPECT_EQ(audit->events_checked, manifest["audit_head"]["seq"].get<int64_t>());
    std::set<int64_t> versions = BackupSettingVersions(*store);
    for (int64_t v : acknowledged_before) {
      EXPECT_TRUE(versions.count(v))
          << "setting version " << v << " was acknowledged before the backup and is missing";
    }
    // The restored database works: it takes a new write whose version follows the restored ones.
    app::AuditWriter writer(*store);
    app::SettingsCache settings(*store, SystemClock::Get());
    app::Env env{*store, writer, SystemClock::Get(), settings};
    auto next = app::ChangeSetting(env, "test:after", "auth.lockout_attempts", 6, "after restore");
    ASSERT_TRUE(next.ok()) << next.status().message();
    EXPECT_EQ(*next, static_cast<int64_t>(versions.size()) + 1);
  }
}

TEST_P(BackupCli, AChangedByteACutOffFileAWrongKeyOrALyingManifestFailWithTheReason) {
  TestDatabase db(GetParam());
  { TestServer server(db, /*demo_patients=*/6); }
  BackupPath key("key"), other_key("key"), plain("plain"), sealed("sealed"), bad("bad");
  ASSERT_EQ(RunKclinic("backup keygen --to '" + key.str() + "'").exit_code, 0);
  ASSERT_EQ(RunKclinic("backup keygen --to '" + other_key.str() + "'").exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(key.str().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(BackupRead(key.str()), BackupRead(other_key.str()));
  ASSERT_EQ(RunKclinic("backup --db '" + db.url() + "' --to '" + plain.str() + "'").exit_code, 0);
  ASSERT_EQ(RunKclinic("backup --db '" + db.url() + "' --to '" + sealed.str() + "' --key-file '" +
                       key.str() + "'")
                .exit_code,
            0);
  BackupVerifyJson(plain.str());
  nlohmann::json sealed_ok = BackupVerifyJson(sealed.str(), key.str());
  EXPECT_EQ(sealed_ok["encrypted"], true);

  // The encrypted payload holds no readable text of the database (SQLite's file header).
  const std::string plain_bytes = BackupRead(plain.str()), sealed_bytes = BackupRead(sealed.str());
  EXPECT_NE(plain_bytes.find("SQLite format 3"), std::string::npos);
  EXPECT_EQ(sealed_bytes.find("SQLite format 3"), std::string::npos);

  auto verify = [&](const std::string& bytes, const std::string& with_key) {
    BackupWrite(bad.str(), bytes);
    return RunKclinic("backup verify '" + bad.str() + "'" +
                      (with_key.empty() ? "" : " --key-file '" + with_key + "'"));
  };
  auto expect_fails = [&](const RunResult& r, int code, const std::string& reason) {
    EXPECT_EQ(r.exit_code, code) << r.out << r.err;
    EXPECT_NE(r.err.find(reason), std::string::npos) << "wanted \"" << reason << "\" in: " << r.err;
  };

  for (const auto& [bytes, with_key] :
       {std::pair{plain_bytes, std::string()}, std::pair{sealed_bytes, key.str()}}) {
    SCOPED_TRACE(with_key.empty() ? "plain" : "encrypted");
    // Every byte of the payload counts: one in the middle, the last one.
    for (size_t at : {bytes.size() / 2, bytes.size() - 1}) {
      std::string changed = bytes;
      changed[at] ^= 0x01;
      expect_fails(verify(changed, with_key), 1, "payload checksum");
    }
    // A byte of the manifest.
    std::string changed = bytes;
    changed[bytes.find("\"created_at\"") + 20] ^= 0x01;
    expect_fails(verify(changed, with_key), 1, "manifest checksum");
    // Cut off, anywhere.
    expect_fails(verify(bytes.substr(0, bytes.size() - 1), with_key), 1, "truncated");
    expect_fails(verify(bytes.substr(0, bytes.size() / 2), with_key), 1, "truncated");
    expect_fails(verify(bytes.substr(0, 40), with_key), 1, "truncated");
    expect_fails(verify("", with_key), 1, "not a kclinic backup");
  }

  // A wrong key, and none.
  expect_fails(verify(sealed_bytes, other_key.str()), 1, "wrong key");
  expect_fails(verify(sealed_bytes, ""), 2, "key-file");
  expect_fails(verify(plain_bytes, key.str()), 2, "key-file");

  // A manifest that disagrees with its payload, its own checksum made to match: the counts are
  // compared with the database inside; with a key, the manifest is also what the first chunk
  // authenticates.
  auto lie = [&](const std::string& bytes) {
    size_t a = bytes.find('\n'), b = bytes.find('\n', a + 1), c = bytes.find('\n', b + 1);
    nlohmann::ordered_json m = nlohmann::ordered_json::parse(bytes.substr(a + 1, b - a - 1));
    m["tables"]["patients"] = m["tables"]["patients"].get<int64_t>() + 1;
    std::string line = m.dump();
    return bytes.substr(0, a + 1) + line + "\nsha256:" + Sha256Hex(line) + "\n" +
           bytes.substr(c + 1);
  };
  expect_fails(verify(lie(plain_bytes), ""), 1, "the manifest says table patients holds 7 rows");
  expect_fails(verify(lie(sealed_bytes), key.str()), 1, "does not decrypt");

  // Bad usage names the option.
  expect_fails(RunKclinic("backup verify /nonexistent/backup"), 2, "file");
  expect_fails(RunKclinic("restore --from /nonexistent/backup --db " + db.url()), 2, "from");
  expect_fails(RunKclinic("backup --db '" + db.url() + "'"), 2, "to");
  expect_fails(RunKclinic("backup --db '" + db.url() + "' --to '" + plain.str() + "'"), 2, "to");
  expect_fails(RunKclinic("backup keygen --to '" + key.str() + "'"), 2, "to");
  fs::permissions(other_key.str(), fs::perms::group_read | fs::perms::others_read,
                  fs::perm_options::add);
  expect_fails(RunKclinic("backup --db '" + db.url() + "' --to '" + bad.str() + "x' --key-file '" +
                          other_key.str() + "'"),
               2, "key-file");
}

TEST_P(BackupCli, ARestoreIntoADatabaseWithDataIsRefusedAndChangesNothing) {
  TestDatabase source(GetParam());
  { TestServer server(source, /*demo_patients=*/5); }
  BackupPath file("backup");
  ASSERT_EQ(RunKclinic("backup --db '" + source.url() + "' --to '" + file.str() + "'").exit_code,
            0);
  for (const char* target_backend : kBackends) {
    SCOPED_TRACE(std::string("into ") + target_backend);
    TestDatabase target(target_backend);
    { TestServer server(target, /*demo_patients=*/3); }
    nlohmann::json before = BackupStateOf(target.url());
    auto refused = RunKclinic("restore --from '" + file.str() + "' --db '" + target.url() + "'");
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
    EXPECT_EQ(BackupStateOf(target.url()), before);

    // One setting change and its audit event are data too.
    TestDatabase audited(target_backend);
    {
      auto store = audited.Open(2);
      ASSERT_TRUE(store);
      app::AuditWriter writer(*store);
      app::SettingsCache settings(*store, SystemClock::Get());
      app::Env env{*store, writer, SystemClock::Get(), settings};
      ASSERT_TRUE(app::ChangeSetting(env, "test", "auth.lockout_attempts", 6, "test").ok());
    }
    EXPECT_EQ(
        RunKclinic("restore --from '" + file.str() + "' --db '" + audited.url() + "'").exit_code,
        1);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupCli,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
