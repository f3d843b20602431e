// `kclinic score` run as a program: exit codes, JSON output and errors that name the item. Runs
// the binary named by the KCLINIC_BINARY environment variable, else the one this build writes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

namespace kclinic::cli {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

std::string Binary() {
  if (const char* env = std::getenv("KCLINIC_BINARY"); env && *env) return env;
#ifdef KCLINIC_BINARY
  return KCLINIC_BINARY;
#else
  return "";
#endif
}

// Runs `kclinic ARGS` (shell words, no user input) and captures stdout; stderr is folded in
// when `with_stderr`.
Run RunKclinic(const std::string& args, bool with_stderr = false) {
  std::string cmd = Binary() + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  Run r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class ScaleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Binary().empty()) GTEST_SKIP() << "set KCLINIC_BINARY to run the CLI tests";
  }
};

TEST_F(ScaleCli, ScoresAsJson) {
  auto r = RunKclinic("score phq9 --items 1,1,1,1,1,1,1,1,2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["instrument"], "phq9");
  EXPECT_EQ(j["total"], 10);
  EXPECT_EQ(j["severity"], "moderate");
  EXPECT_EQ(j["flags"], nlohmann::json::array({"suicidal_ideation"}));
  EXPECT_EQ(j["prorated"], false);
}

TEST_F(ScaleCli, ReadableLine) {
  auto r = RunKclinic("score gad7 --items 3,3,3,3,3,0,0");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("GAD-7 total 15/21: severe"), std::string::npos) << r.out;
}

TEST_F(ScaleCli, ProrateFlag) {
  auto off = RunKclinic("score phq9 --items 1,1,,1,1,1,1,1,0 --json");
  EXPECT_EQ(off.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(off.out)["error"]["field"], "item_3");
  auto on = RunKclinic("score phq9 --items 1,1,,1,1,1,1,1,0 --json --prorate");
  ASSERT_EQ(on.exit_code, 0) << on.out;
  auto j = nlohmann::json::parse(on.out);
  EXPECT_EQ(j["prorated"], true);
  EXPECT_EQ(j["total"], 8);  // 7 * 9 / 8 = 7.875
}

TEST_F(ScaleCli, InvalidInputExits2NamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"score phq9 --items 1,1,4,1,1,1,1,1,0 --json", "item_3"},
      {"score phq9 --items 1,x --json", "item_2"},
      {"score phq9 --items 0,0,0,0,0,0,0,0,0,0,0 --json", "item_11"},
      {"score cssrs-screener --items 0,0,1,,,0 --json", "item_3"},
      {"score bdi2 --items 1 --json", "instrument"},
      {"score --items 1 --json", "instrument"},
      {"score phq9 --json", "items"},
  };
  for (const auto& [args, field] : cases) {
    SCOPED_TRACE(args);
    auto r = RunKclinic(args);
    EXPECT_EQ(r.exit_code, 2);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j["error"]["code"], "invalid_argument");
    EXPECT_EQ(j["error"]["field"], field);
  }
  auto plain = RunKclinic("score phq9 --items 1,1,4", true);
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.out.find("item_3"), std::string::npos) << plain.out;
}

TEST_F(ScaleCli, ListsInstruments) {
  auto r = RunKclinic("score --list --json");
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 8u);
  EXPECT_EQ(j[3]["id"], "qids-sr16");
  EXPECT_EQ(j[3]["licence"], "score_entry");
}

}  // namespace
}  // namespace kclinic::cli
