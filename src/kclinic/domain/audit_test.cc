#include "kclinic/domain/audit.h"

#include <gtest/gtest.h>

#include "kclinic/base/crypto.h"

namespace kclinic::domain {
namespace {

std::vector<AuditEvent> Chain(int n) {
  std::vector<AuditEvent> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditEvent e;
    e.seq = i;
    e.at = Timestamp(std::chrono::seconds(1700000000 + i));
    e.actor_id = "u" + std::to_string(i);
    e.actor_role = "nurse";
    e.action = "patient.read";
    e.patient_id = "p";
    e.resource = "patient";
    e.outcome = "success";
    e.prev_hash = prev;
    e.hash = AuditEventHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

std::optional<std::pair<int64_t, std::string>> FirstProblem(const std::vector<AuditEvent>& events) {
  AuditChainVerifier v;
  for (const auto& e : events) {
    if (auto p = v.Feed(e)) return std::make_pair(e.seq, *p);
  }
  return std::nullopt;
}

TEST(AuditChain, AnIntactChainVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  EXPECT_FALSE(FirstProblem(Chain(5)).has_value());
}

TEST(AuditChain, EveryFieldIsCovered) {
  ASSERT_TRUE(InitCrypto().ok());
  using Edit = void (*)(AuditEvent&);
  for (Edit edit : std::initializer_list<Edit>{
           [](AuditEvent& e) { e.at += std::chrono::microseconds(1); },
           [](AuditEvent& e) { e.actor_id += "x"; }, [](AuditEvent& e) { e.actor_role = "admin"; },
           [](AuditEvent& e) { e.action = "patient.update"; },
           [](AuditEvent& e) { e.patient_id = "q"; }, [](AuditEvent& e) { e.resource = "x"; },
           [](AuditEvent& e) { e.outcome = "denied"; }, [](AuditEvent& e) { e.detail = "x"; }}) {
    auto events = Chain(4);
    edit(events[2]);
    auto problem = FirstProblem(events);
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->first, 3);
    EXPECT_NE(problem->second.find("edited"), std::string::npos);
  }
}

TEST(AuditChain, FieldBoundariesCannotBeShifted) {
  ASSERT_TRUE(InitCrypto().ok());
  AuditEvent a = Chain(1)[0], b = a;
  a.action = "ab";
  a.resource = "c";
  b.action = "a";
  b.resource = "bc";
  EXPECT_NE(AuditEventHash(a), AuditEventHash(b));
}

TEST(AuditChain, DeletionAndReorderingAreFound) {
  ASSERT_TRUE(InitCrypto().ok());
  auto deleted = Chain(5);
  deleted.erase(deleted.begin() + 1);
  EXPECT_EQ(FirstProblem(deleted)->first, 3);
  auto swapped = Chain(5);
  std::swap(swapped[1], swapped[2]);
  std::swap(swapped[1].seq, swapped[2].seq);
  EXPECT_EQ(FirstProblem(swapped)->first, 2);
}

}  // namespace
}  // namespace kclinic::domain
