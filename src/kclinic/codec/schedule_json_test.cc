#include "kclinic/codec/schedule_json.h"

#include <gtest/gtest.h>

namespace kclinic::codec {
namespace {

namespace sched = domain::schedule;

TEST(ScheduleJsonTest, ProtocolRoundTripsAndErrorsNameTheField) {
  for (const auto& p : sched::BuiltinProtocols()) {
    auto back = ProtocolFromJson(nlohmann::json::parse(ProtocolToJson(p).dump()));
    ASSERT_TRUE(back.ok()) << p.id << ": " << back.status().message();
    EXPECT_EQ(back->id, p.id);
    EXPECT_EQ(back->sessions, p.sessions);
    EXPECT_EQ(back->stages.size(), p.stages.size());
  }
  auto j = nlohmann::json::parse(ProtocolToJson(*sched::FindBuiltinProtocol("iv-standard")).dump());
  j["per_week_min"] = 5;
  EXPECT_EQ(ProtocolFromJson(j).status().field(), "per_week_min");
  j = nlohmann::json::parse(ProtocolToJson(*sched::FindBuiltinProtocol("iv-standard")).dump());
  j["kind"] = "oral";
  EXPECT_EQ(ProtocolFromJson(j).status().field(), "kind");
  j.erase("kind");
  j["colour"] = "red";
  EXPECT_EQ(ProtocolFromJson(j).status().field(), "colour");
  j = nlohmann::json::parse(
      ProtocolToJson(*sched::FindBuiltinProtocol("iv-maintenance-taper")).dump());
  j["stages"][1]["interval_days"] = 0;
  EXPECT_EQ(ProtocolFromJson(j).status().field(), "stages[1].interval_days");
  EXPECT_EQ(ProtocolFromJson(nlohmann::json::object()).status().field(), "id");
}

TEST(ScheduleJsonTest, ClinicRoundTripsAndErrorsNameTheField) {
  sched::Clinic c = sched::DefaultClinic("America/New_York", *ParseDate("2026-11-23"), 7, 2, 1);
  c.holidays = {*ParseDate("2026-11-26")};
  c.busy.push_back({"chair-1", "nurse-1", *ParseTimestamp("2026-11-23T14:00:00.000000Z"),
                    *ParseTimestamp("2026-11-23T16:00:00.000000Z")});
  auto back = ClinicFromJson(nlohmann::json::parse(ClinicToJson(c).dump()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->shifts.size(), c.shifts.size());
  EXPECT_EQ(back->busy[0].end, c.busy[0].end);
  EXPECT_FALSE(back->hours[0].has_value());
  EXPECT_EQ(back->hours[1]->close, c.hours[1]->close);
  auto j = nlohmann::json::parse(ClinicToJson(c).dump());
  j["shifts"][0]["start"] = "8am";
  EXPECT_EQ(ClinicFromJson(j).status().field(), "shifts[0].start");
  j = nlohmann::json::parse(ClinicToJson(c).dump());
  j["time_zone"] = "Atlantis/Capital";
  EXPECT_EQ(ClinicFromJson(j).status().field(), "time_zone");
}

TEST(ScheduleJsonTest, BoosterHistory) {
  auto h = BoosterHistoryFromJson(nlohmann::json::parse(
      R"({"infusions": ["2026-01-05"], "phq9": [{"date": "2026-01-06", "score": 5}]})"));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->phq9[0].score, 5);
  EXPECT_EQ(BoosterHistoryFromJson(nlohmann::json::parse(R"({"phq9": []})")).status().field(),
            "infusions");
  EXPECT_EQ(BoosterHistoryFromJson(nlohmann::json::parse(R"({"infusions": ["2026-02-30"]})"))
                .status()
                .field(),
            "infusions[0]");
  EXPECT_EQ(BoosterHistoryFromJson(
                nlohmann::json::parse(
                    R"({"infusions": ["2026-01-05"], "phq9": [{"date": "2026-01-06"}]})"))
                .status()
                .field(),
            "phq9[0].score");
}

}  // namespace
}  // namespace kclinic::codec
