// What the real `kclinic serve` does on a schedule (issue 22 items 12 and 13), on both back ends:
// it signs the audit chain's head into an anchor log outside the database, and `audit verify
// --anchors` then catches events cut off the end of the trail (with the head moved back, which
// the chain alone cannot see), a whole database rolled back to an older backup, and an anchor
// line edited or forged; a server refuses a database behind its anchor log unless told. It takes
// scheduled backups that verify, keeps the newest N, and reports their age in /metrics and
// /readyz.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kclinic/base/crypto.h"
#include "support.h"

namespace kclinic::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A private directory for one test's keys, logs and backups, removed with its contents.
class TasksDir {
 public:
  TasksDir() : path_(fs::temp_directory_path() / ("kclinic-tasks-" + NewId().substr(0, 12))) {
    fs::create_directories(path_);
  }
  ~TasksDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string TasksSlurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<nlohmann::json> TasksAnchors(const std::string& log) {
  std::vector<nlohmann::json> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// Waits (polling every 20 ms, at most 20 s) until `done` holds.
template <typename Fn>
bool TasksEventually(Fn done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The real program serving in a child process, stopped with SIGTERM as an operator stops it.
class ServeProcess {
 public:
  ServeProcess(const std::string& args, const TasksDir& dir)
      : out_(dir / ("serve-" + NewId().substr(0, 6) + ".out")), err_(out_ + ".err") {
    std::string command = std::string(KCLINIC_BINARY) +
                          " serve --listen 127.0.0.1:0 --allow-unsafe-durability --access-log "
                          "false " +
                          args + " >'" + out_ + "' 2>'" + err_ + "' </dev/null";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // The port, once it listens; or the exit code, if it refused to start.
    TasksEventually([&] {
      std::string out = TasksSlurp(out_);
      auto at = out.find("listening on http://127.0.0.1:");
      if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
        port_ = static_cast<uint16_t>(std::stoi(out.substr(at + 30)));
        return true;
      }
      return Exited();
    });
  }
  ~ServeProcess() { Stop(); }
  // 0 while it serves (or before it answered).
  uint16_t port() const { return port_; }
  // SIGTERM, then its exit code (-1 if it did not exit normally).
  int Stop() {
    if (pid_ > 0 && !Exited()) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      pid_ = -1;
    }
    return exit_code_;
  }
  std::string err() const { return TasksSlurp(err_); }

 private:
  bool Exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid_ = -1;
    return true;
  }
  std::string out_, err_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  uint16_t port_ = 0;
};

std::pair<int64_t, std::string> TasksHead(const TestDatabase& db) {
  auto store = db.Open(2);
  auto tx = store->Begin(domain::TxMode::kRead);
  EXPECT_TRUE(tx.ok());
  auto head = (*tx)->audit().Head();
  EXPECT_TRUE(head.ok());
  return *head;
}

// One audit event written by another process while the server runs (a setting changed).
void TasksWriteEvent(const TestDatabase& db, int n) {
  auto r = RunKclinic("settings set auth.lockout_attempts " + std::to_string(5 + n % 3) +
                      " --reason anchors --db '" + db.url() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

RunResult TasksVerify(const TestDatabase& db, const TasksDir& dir, const std::string& log,
                      const std::string& pub = "") {
  return RunKclinic("audit verify --json --db '" + db.url() + "' --anchors '" + log +
                    "' --public-key '" + (pub.empty() ? dir / "anchor.key.pub" : pub) + "'");
}

// Cuts the last `n` events off the trail and moves the head back to the one before them, as
// someone with write access to the database would (the append-only triggers dropped first).
void TasksCutTail(const TestDatabase& db, int64_t head, int n) {
  const std::string keep = std::to_string(head - n);
  const std::string drop = db.backend() == "sqlite"
                               ? "DROP TRIGGER audit_events_no_delete;"
                               : "DROP TRIGGER audit_events_no_change ON audit_events;";
  ASSERT_EQ(db.Exec(drop + "DELETE FROM audit_events WHERE seq > " + keep +
                    "; UPDATE audit_head SET last_seq = " + keep +
                    ", last_hash = (SELECT hash FROM audit_events WHERE seq = " + keep +
                    ") WHERE id = 1;"),
            "");
}

class ServerTasks : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    db_->Open(2);  // migrated
    auto keygen = RunKclinic("audit keygen --to '" + dir_ / "anchor.key" + "'");
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    EXPECT_THAT(keygen.out, HasSubstr("key id: "));
  }
  std::string AnchorArgs(int interval = 300) const {
    return "--db '" + db_->url() + "' --anchor-key '" + dir_ / "anchor.key" + "' --anchor-log '" +
           log_ + "' --anchor-interval-seconds " + std::to_string(interval);
  }
  TasksDir dir_;
  std::string log_ = dir_ / "anchors.log";
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(ServerTasks, AnchorsFromARunningServerCatchATruncatedTailTheChainAloneMisses) {
  {
    ServeProcess server(AnchorArgs(/*interval=*/1), dir_);
    ASSERT_NE(server.port(), 0) << server.err();
    for (int i = 0; i < 4; ++i) TasksWriteEvent(*db_, i);
    const int64_t head = TasksHead(*db_).first;
    ASSERT_GE(head, 4);
    // The periodic anchor reaches the new head while the server runs.
    EXPECT_TRUE(TasksEventually([&] {
      auto anchors = TasksAnchors(log_);
      return !anchors.empty() && anchors.back()["seq"] == head;
    })) << TasksSlurp(log_);
    EXPECT_EQ(server.Stop(), 0) << server.err();
  }
  auto anchors = TasksAnchors(log_);
  ASSERT_GE(anchors.size(), 2u);
  EXPECT_EQ(anchors.front()["seq"], 0);  // the one at start, of the empty trail
  const auto [head, head_hash] = TasksHead(*db_);
  EXPECT_EQ(anchors.back()["seq"], head);
  EXPECT_EQ(anchors.back()["head"], head_hash);

  auto clean = TasksVerify(*db_, dir_, log_);
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  auto j = nlohmann::json::parse(clean.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["events_missing"], 0);
  EXPECT_EQ(j["anchors_checked"], anchors.size());

  TasksCutTail(*db_, head, 2);
  // The chain and its head agree again: without the anchors nothing shows.
  EXPECT_EQ(RunKclinic("audit verify --db '" + db_->url() + "'").exit_code, 0);
  auto cut = TasksVerify(*db_, dir_, log_);
  EXPECT_EQ(cut.exit_code, 1) << cut.out << cut.err;
  j = nlohmann::json::parse(cut.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["events_missing"], 2);
  EXPECT_EQ(j["anchored_seq"], head);
  auto human = RunKclinic("audit verify --db '" + db_->url() + "' --anchors '" + log_ +
                          "' --public-key '" + dir_ / "anchor.key.pub" + "'");
  EXPECT_EQ(human.exit_code, 1);
  EXPECT_THAT(human.out, HasSubstr("TAMPERING: 2 audit event(s) are missing"));

  // The server does not serve it, and says why.
  ServeProcess refused(AnchorArgs(), dir_);
  EXPECT_EQ(refused.port(), 0);
  EXPECT_EQ(refused.Stop(), 1);
  EXPECT_THAT(refused.err(), HasSubstr("2 events are missing"));
  EXPECT_THAT(refused.err(), HasSubstr("--anchor-accept-rollback"));
}

TEST_P(ServerTasks, ARestoredOlderBackupIsCaughtAndServedOnlyWhenTheRollbackIsAccepted) {
  TasksWriteEvent(*db_, 0);
  const std::string backup = dir_ / "older.kcb";
  ASSERT_EQ(RunKclinic("backup --db '" + db_->url() + "' --to '" + backup + "'").exit_code, 0);
  const int64_t at_backup = TasksHead(*db_).first;
  for (int i = 1; i <= 3; ++i) TasksWriteEvent(*db_, i);
  {
    ServeProcess server(AnchorArgs(), dir_);
    ASSERT_NE(server.port(), 0) << server.err();
    EXPECT_EQ(server.Stop(), 0);
  }
  const int64_t anchored = TasksHead(*db_).first;
  ASSERT_EQ(anchored, at_backup + 3);

  // The operator restores the older backup (a lost disk, a wrong file).
  TestDatabase restored(GetParam());
  auto r = RunKclinic("restore --from '" + backup + "' --db '" + restored.url() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto checked = TasksVerify(restored, dir_, log_);
  EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
  auto j = nlohmann::json::parse(checked.out);
  EXPECT_EQ(j["events_missing"], 3);
  EXPECT_THAT(j["problems"].dump(), HasSubstr("rolled back to an older copy"));

  const std::string restored_args = "--db '" + restored.url() + "' --anchor-key '" +
                                    dir_ / "anchor.key" + "' --anchor-log '" + log_ + "'";
  {
    ServeProcess refused(restored_args, dir_);
    EXPECT_EQ(refused.port(), 0);
    EXPECT_EQ(refused.Stop(), 1);
    EXPECT_THAT(refused.err(), HasSubstr("3 events are missing"));
  }
  {
    // Told: it serves, and marks its first anchor as one after a rollback it was told to accept.
    ServeProcess accepted(restored_args + " --anchor-accept-rollback", dir_);
    ASSERT_NE(accepted.port(), 0) << accepted.err();
    EXPECT_THAT(accepted.err(), HasSubstr("behind the audit anchor log"));
    EXPECT_EQ(accepted.Stop(), 0);
  }
  EXPECT_EQ(TasksAnchors(log_).back()["after_rollback"], true);
  auto after = TasksVerify(restored, dir_, log_);
  EXPECT_EQ(after.exit_code, 0) << after.out;
  EXPECT_THAT(after.out, HasSubstr("a rollback was accepted"));

  // New events on the restored copy replace the ones the anchors recorded: the original
  // database's anchors no longer match it at those seqs.
  for (int i = 0; i < 4; ++i) TasksWriteEvent(restored, i);
  const std::string original_only = dir_ / "original.log";
  {
    std::ofstream out(original_only);
    for (const auto& a : TasksAnchors(log_)) {
      if (!a.contains("after_rollback")) out << a.dump() << "\n";
    }
  }
  auto diverged = TasksVerify(restored, dir_, original_only);
  EXPECT_EQ(diverged.exit_code, 1) << diverged.out;
  j = nlohmann::json::parse(diverged.out);
  EXPECT_EQ(j["first_diverged_seq"], anchored);
  EXPECT_THAT(j["problems"].dump(), HasSubstr("the trail was replaced after event"));
}

TEST_P(ServerTasks, AnEditedOrForgedAnchorLineIsRefusedAndBadInputIsUsage) {
  TasksWriteEvent(*db_, 0);
  {
    ServeProcess server(AnchorArgs(), dir_);
    ASSERT_NE(server.port(), 0) << server.err();
    TasksWriteEvent(*db_, 1);
    EXPECT_EQ(server.Stop(), 0);
  }
  auto anchors = TasksAnchors(log_);
  ASSERT_EQ(anchors.size(), 2u);
  auto write_log = [&](const std::string& name, const std::vector<std::string>& lines) {
    std::ofstream out(dir_ / name);
    for (const auto& l : lines) out << l << "\n";
    return dir_ / name;
  };
  ASSERT_EQ(TasksVerify(*db_, dir_, log_).exit_code, 0);

  // The last anchor moved back by one event (to hide a cut): its signature no longer verifies.
  nlohmann::json edited = anchors.back();
  edited["seq"] = edited["seq"].get<int64_t>() - 1;
  auto r = TasksVerify(*db_, dir_, write_log("edited.log", {anchors[0].dump(), edited.dump()}));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("signature that does not verify"));

  // A line signed by another key that claims this key's id.
  ASSERT_EQ(RunKclinic("audit keygen --to '" + dir_ / "other.key" + "'").exit_code, 0);
  {
    TestDatabase other(GetParam());
    other.Open(2);
    ServeProcess server("--db '" + other.url() + "' --anchor-key '" + dir_ / "other.key" +
                            "' --anchor-log '" + dir_ / "other.log" + "'",
                        dir_);
    ASSERT_NE(server.port(), 0) << server.err();
    EXPECT_EQ(server.Stop(), 0);
  }
  nlohmann::json forged = TasksAnchors(dir_ / "other.log").back();
  forged["key_id"] = anchors.back()["key_id"];
  r = TasksVerify(*db_, dir_, write_log("forged.log", {anchors[0].dump(), forged.dump()}));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("signature that does not verify"));

  // A line that is no anchor at all.
  r = TasksVerify(*db_, dir_, write_log("garbage.log", {anchors[0].dump(), "{\"seq\": 99"}));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("line 2 of the anchor log is not an anchor"));

  // Bad input: the wrong public key, no public key, no log.
  r = TasksVerify(*db_, dir_, log_, dir_ / "other.key.pub");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("public-key"));
  r = RunKclinic("audit verify --db '" + db_->url() + "' --anchors '" + log_ + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("public-key"));
  r = TasksVerify(*db_, dir_, dir_ / "missing.log");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("anchors"));
}

TEST_P(ServerTasks, ScheduledBackupsVerifyKeepTheNewestAndShowTheirAge) {
  ASSERT_EQ(RunKclinic("backup keygen --to '" + dir_ / "backup.key" + "'").exit_code, 0);
  TasksWriteEvent(*db_, 0);
  const std::string backups = dir_ / "backups";
  fs::create_directories(backups);
  ServeProcess server("--db '" + db_->url() + "' --backup-dir '" + backups +
                          "' --backup-at 1s --backup-keep 2 --backup-key '" + dir_ / "backup.key" +
                          "'",
                      dir_);
  ASSERT_NE(server.port(), 0) << server.err();
  auto written = [&] {
    std::string err = server.err();
    size_t n = 0;
    for (size_t at = 0;
         (at = err.find("scheduled backup written and verified", at)) != std::string::npos; ++at) {
      ++n;
    }
    return n;
  };
  ASSERT_TRUE(TasksEventually([&] { return written() >= 3; })) << server.err();
  Client client(server.port());
  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("kclinic_backup_failures 0\n"));
  auto at = metrics.body.find("\nkclinic_backup_last_good_age_seconds ");
  ASSERT_NE(at, std::string::npos) << metrics.body;
  double age = std::stod(metrics.body.substr(at + 38));
  EXPECT_GE(age, 0);
  EXPECT_LT(age, 60);
  auto ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["backup"]["status"], "recent") << ready.body;
  EXPECT_TRUE(ready.json()["backup"].contains("age_seconds"));
  EXPECT_EQ(server.Stop(), 0) << server.err();
  EXPECT_THAT(server.err(), ::testing::Not(HasSubstr("scheduled backup failed")));

  // The newest two remain, each whole, encrypted and verifying; no temporary file is left.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(backups)) files.push_back(e.path().string());
  ASSERT_EQ(files.size(), 2u) << ::testing::PrintToString(files);
  for (const auto& f : files) {
    EXPECT_THAT(f, ::testing::MatchesRegex(".*/kclinic-[0-9]{8}-[0-9]{4}([0-9]{2})?\\.kcb"));
    struct stat st {};
    ASSERT_EQ(::stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto v =
        RunKclinic("backup verify --json '" + f + "' --key-file '" + dir_ / "backup.key" + "'");
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_EQ(nlohmann::json::parse(v.out)["encrypted"], true);
  }
}

TEST_P(ServerTasks, BadBackupOrAnchorOptionsAreRefusedByName) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "anchor.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = RunKclinic("audit keygen --to '" + dir_ / "anchor.key" + "'");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("to: "));
  auto r = RunKclinic("serve --allow-unsafe-durability --listen 127.0.0.1:0 --db '" + db_->url() +
                      "' --backup-dir '" + dir_ / "none" + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("backup-dir"));
  r = RunKclinic("serve --allow-unsafe-durability --listen 127.0.0.1:0 --db '" + db_->url() +
                 "' --backup-dir '" + dir_ / "" + "' --backup-at 25:00");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("backup-at"));
  ::chmod((dir_ / "anchor.key").c_str(), 0644);
  r = RunKclinic("serve --allow-unsafe-durability --listen 127.0.0.1:0 " + AnchorArgs());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("anchor-key: can be read by other users"));
  r = RunKclinic("serve --allow-unsafe-durability --listen 127.0.0.1:0 --db '" + db_->url() +
                 "' --anchor-log '" + log_ + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("anchor-key"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTasks,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kclinic::testing
