#include "kclinic/codec/care_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

using nlohmann::json;

constexpr char kBadInstant[] = "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z";

TEST(DecodeAssessmentRequest, SplitsTheTimeFromTheAnswers) {
  auto r = DecodeAssessmentRequest(json::parse(
      R"({"instrument":"phq9","items":[1,0,null],"administered_at":"2026-11-21T09:00:00Z"})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->administered_at, ParseTimestamp("2026-11-21T09:00:00Z"));
  EXPECT_EQ(r->answers.instrument, "phq9");
  EXPECT_EQ(r->answers.items, (std::vector<std::optional<int>>{1, 0, std::nullopt}));
  auto now = DecodeAssessmentRequest(
      json::parse(R"({"instrument":"gad7","items":[],"administered_at":null})"));
  ASSERT_TRUE(now.ok());
  EXPECT_FALSE(now->administered_at);
  ExpectRefused<AssessmentRequest>(
      DecodeAssessmentRequest,
      {{R"({"instrument":"phq9","items":[],"administered_at":5})", "administered_at",
        "must be a timestamp string"},
       {R"({"instrument":"phq9","items":[],"administered_at":"yesterday"})", "administered_at",
        kBadInstant},
       // The answers' own errors come from AnswersFromJson (scale_json_test.cc has them all).
       {R"({"items":[]})", "instrument", "is required"},
       {R"({"instrument":"phq9","items":[],"source":"paper"})", "source", "is not a known field"}});
}

TEST(DecodeCourseStartRequest, DefaultsKindAndPhase) {
  auto r = DecodeCourseStartRequest(json::parse(R"({"primary_clinician":"drsmith"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, "iv_ketamine");
  EXPECT_EQ(r->phase, "induction");
  EXPECT_EQ(r->primary_clinician, "drsmith");
  EXPECT_FALSE(r->started_at);
  auto all = DecodeCourseStartRequest(json::parse(
      R"({"kind":"esketamine","phase":"maintenance","primary_clinician":"drsmith",
          "started_at":"2026-11-01T09:00:00Z"})"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->kind, "esketamine");
  EXPECT_EQ(all->phase, "maintenance");
  EXPECT_EQ(all->started_at, ParseTimestamp("2026-11-01T09:00:00Z"));
  ExpectRefused<CourseStartRequest>(
      DecodeCourseStartRequest,
      {{R"({})", "primary_clinician", "is required"},
       {R"({"primary_clinician":"d","kind":1})", "kind", "must be a string"},
       {R"({"primary_clinician":"d","phase":[]})", "phase", "must be a string"},
       {R"({"primary_clinician":"d","started_at":"soon"})", "started_at", kBadInstant},
       {R"({"primary_clinician":"d","started_at":1})", "started_at", "must be a timestamp string"},
       {R"({"primary_clinician":"d","sessions":6})", "sessions", "is not a known field"}});
}

TEST(DecodeCourseSessionRequest, RequiresTheTime) {
  auto r = DecodeCourseSessionRequest(json::parse(R"({"at":"2026-11-21T09:00:00Z"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at, *ParseTimestamp("2026-11-21T09:00:00Z"));
  EXPECT_EQ(r->status, "given");
  ExpectRefused<CourseSessionRequest>(
      DecodeCourseSessionRequest,
      {{R"({})", "at", "is required"},
       {R"({"at":null})", "at", "is required"},
       {R"({"at":"noon"})", "at", kBadInstant},
       {R"({"at":"2026-11-21T09:00:00Z","status":true})", "status", "must be a string"},
       {R"({"at":"2026-11-21T09:00:00Z","dose":1})", "dose", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
