#include "kclinic/codec/enum_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kclinic/domain/records.h"
#include "kclinic/domain/schedule/ports.h"

namespace kclinic::codec {
namespace {

TEST(EnumJsonTest, AnEnumIsWrittenAsItsCodeNeverANumber) {
  nlohmann::json j = {{"status", domain::CourseSessionStatus::kCancelled},
                      {"phase", domain::CoursePhase::kEnded},
                      {"request", domain::BookingRequestStatus::kDeclined}};
  EXPECT_EQ(j.dump(), R"({"phase":"ended","request":"declined","status":"cancelled"})");
  nlohmann::ordered_json o = {{"decision", domain::ScreeningDecision::kDecline}};
  EXPECT_EQ(o["decision"], "decline");
}

}  // namespace
}  // namespace kclinic::codec
