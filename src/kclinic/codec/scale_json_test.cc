#include "kclinic/codec/scale_json.h"

#include <gtest/gtest.h>

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {
namespace {

namespace scales = domain::scales;
using nlohmann::json;

TEST(ScaleJson, ScoreResultHasTheIssuesShape) {
  std::vector<std::optional<int>> items = {1, 1, 1, 1, 1, 1, 1, 1, 2};
  auto r = scales::Score("phq9", items, scales::ScoringOptions{});
  ASSERT_TRUE(r.ok());
  auto j = ScoreResultToJson(*r);
  auto it = j.begin();
  EXPECT_EQ(it.key(), "instrument");
  EXPECT_EQ((++it).key(), "total");
  EXPECT_EQ(j["instrument"], "phq9");
  EXPECT_EQ(j["total"], 10);
  EXPECT_EQ(j["severity"], "moderate");
  EXPECT_EQ(j["flags"], nlohmann::ordered_json::array({"suicidal_ideation"}));
  EXPECT_EQ(j["prorated"], false);
  EXPECT_EQ(j["items"].size(), 10u);
  EXPECT_TRUE(j["items"][9].is_null());
  EXPECT_EQ(j["items"][8], 2);
  EXPECT_FALSE(j.contains("risk"));
}

TEST(ScaleJson, CssrsAndBprsExtras) {
  std::vector<std::optional<int>> c = {0, 1, 1, 0, 0, 0};
  auto cssrs = ScoreResultToJson(*scales::Score("cssrs-screener", c, {}));
  EXPECT_TRUE(cssrs["total"].is_null());
  EXPECT_TRUE(cssrs["severity"].is_null());
  EXPECT_EQ(cssrs["risk"], "moderate");
  EXPECT_EQ(cssrs["flags"],
            nlohmann::ordered_json::array({"suicidal_ideation", "suicide_risk_moderate"}));
  std::vector<std::optional<int>> b(18, 1);
  auto bprs = ScoreResultToJson(*scales::Score("bprs", b, {}));
  EXPECT_EQ(bprs["positive_subscale"], 4);
}

TEST(ScaleJson, ScoreEntryInstrumentsShipNoText) {
  for (const auto& in : scales::Instruments()) {
    auto j = InstrumentToJson(in);
    SCOPED_TRACE(std::string(in.id));
    EXPECT_EQ(j["items"].size(), in.items.size());
    bool licensed = in.licence == scales::Licence::kItemText;
    EXPECT_EQ(j["licence"], licensed ? "item_text" : "score_entry");
    for (const auto& item : j["items"]) {
      EXPECT_EQ(item.contains("text"), licensed);
    }
    if (!licensed) {
      EXPECT_FALSE(j.contains("instructions"));
    }
  }
  auto madrs = InstrumentToJson(*scales::FindInstrument("madrs"));
  EXPECT_TRUE(madrs["loinc"].is_null());
  EXPECT_FALSE(madrs["items"][0]["options"][3].contains("label"));
  EXPECT_EQ(madrs["items"][0]["max"], 6);
}

TEST(ScaleJson, Phq9DefinitionCarriesLoincOptionsAndBands) {
  auto j = InstrumentToJson(*scales::FindInstrument("phq9"));
  EXPECT_EQ(j["loinc"]["panel"], "44249-1");
  EXPECT_EQ(j["loinc"]["total"], "44261-6");
  EXPECT_EQ(j["items"][8]["loinc"], "44260-8");
  EXPECT_EQ(j["items"][8]["safety"], true);
  EXPECT_EQ(j["items"][8]["options"][3]["loinc"], "LA6571-9");
  EXPECT_EQ(j["items"][8]["options"][3]["label"], "Nearly every day");
  EXPECT_EQ(j["items"][9]["scored"], false);
  EXPECT_EQ(j["remission_max_total"], 4);
  ASSERT_EQ(j["bands"].size(), 5u);
  EXPECT_EQ(j["bands"][2].dump(),
            R"({"min":10,"max":14,"severity":"moderate","label":"moderate"})");
  EXPECT_EQ(j["bands"][4]["max"], 27);
  auto qids = InstrumentToJson(*scales::FindInstrument("qids-sr16"));
  EXPECT_EQ(qids["groups"][0], nlohmann::ordered_json::array({1, 2, 3, 4}));
  EXPECT_EQ(InstrumentListToJson().size(), 8u);
}

TEST(ScaleJson, AnswersReaderAcceptsNullForUnanswered) {
  auto a = AnswersFromJson(json::parse(R"({"instrument":"gad7","items":[1,null,3]})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->instrument, "gad7");
  ASSERT_EQ(a->items.size(), 3u);
  EXPECT_EQ(a->items[0], 1);
  EXPECT_FALSE(a->items[1].has_value());
}

TEST(ScaleJson, AnswersReaderErrorsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"items":[1]})", "instrument"},
      {R"({"instrument":3,"items":[1]})", "instrument"},
      {R"({"instrument":"bdi2","items":[1]})", "instrument"},
      {R"({"instrument":"phq9"})", "items"},
      {R"({"instrument":"phq9","items":null})", "items"},
      {R"({"instrument":"phq9","items":"1,2"})", "items"},
      {R"({"instrument":"phq9","items":[1,"2"]})", "item_2"},
      {R"({"instrument":"phq9","items":[1,1.5]})", "item_2"},
      {R"({"instrument":"phq9","items":[1,[0]]})", "item_2"},
      {R"({"instrument":"phq9","items":[99999999999]})", "item_1"},
      {R"({"instrument":"phq9","items":[1],"patient":"x"})", "patient"},
      {R"([1,2])", "body"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    auto r = AnswersFromJson(json::parse(body));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), field);
  }
}

TEST(ScaleJson, ReaderAndScoringNameTheSameItem) {
  auto a = AnswersFromJson(json::parse(R"({"instrument":"phq9","items":[0,0,0,0,0,0,0,0,4]})"));
  ASSERT_TRUE(a.ok());
  auto r = scales::Score(a->instrument, a->items, {});
  EXPECT_EQ(r.status().field(), "item_9");
}

TEST(ScaleJson, OutcomeAndScheduleShapes) {
  using std::chrono::days;
  const Timestamp t0 = Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5));
  std::vector<Timestamp> sessions = {t0};
  std::vector<scales::Assessment> a = {{"phq9", t0 - days(1), 20}, {"phq9", t0 + days(3), 9}};
  auto outcome = scales::ComputeCourseOutcome(sessions, a, {});
  ASSERT_TRUE(outcome.ok());
  auto j = CourseOutcomeToJson(*outcome);
  EXPECT_EQ(j["first_session_at"], FormatTimestamp(t0));
  EXPECT_EQ(j["instruments"][0]["status"], "responder");
  EXPECT_EQ(j["instruments"][0]["baseline"], 20);
  EXPECT_EQ(j["instruments"][0]["days_to_first_response"], 3.0);
  EXPECT_EQ(j["instruments"][0]["assessments"][1]["change_points"], -11);
  EXPECT_EQ(j["instruments"][0]["assessments"][1]["change_percent"], -55.0);
  EXPECT_TRUE(j["instruments"][0]["assessments"][0]["change_points"].is_null());

  scales::ScheduleInput in;
  in.phase = scales::CoursePhase::kInduction;
  in.sessions = {t0 + days(1)};
  in.now = t0;
  in.instruments = {"phq9"};
  auto due = DueQuestionnairesToJson(scales::DueQuestionnaires(in, {}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0]["instrument"], "phq9");
  EXPECT_EQ(due[0]["reason"], "before_session");
  EXPECT_EQ(due[0]["due_at"], FormatTimestamp(t0 + days(1)));
  EXPECT_EQ(due[0]["overdue"], false);
  EXPECT_EQ(due[0]["reminder"], 0);
}

}  // namespace
}  // namespace kclinic::codec
