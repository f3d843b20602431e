#include "kclinic/codec/screening_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

using nlohmann::json;

TEST(DecodeScreeningDecisionRequest, ReadsTheDecision) {
  auto r = DecodeScreeningDecisionRequest(
      json::parse(R"({"intake_id":"i1","decision":"approve","reason":"meets criteria"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->intake_id, "i1");
  EXPECT_EQ(r->decision, "approve");
  EXPECT_EQ(r->reason, "meets criteria");
  ExpectRefused<ScreeningDecisionRequest>(
      DecodeScreeningDecisionRequest,
      {{R"({"decision":"approve"})", "intake_id", "is required"},
       {R"({"intake_id":"i1"})", "decision", "is required"},
       {R"({"intake_id":"i1","decision":"approve","reason":0})", "reason", "must be a string"},
       {R"({"intake_id":"i1","decision":"approve","by":"x"})", "by", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
