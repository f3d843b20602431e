#include "kclinic/codec/session_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/json_read.h"
#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

namespace ses = domain::session;
using nlohmann::json;

TEST(DecodeSessionCreateRequest, ReadsEveryField) {
  auto r = DecodeSessionCreateRequest(json::parse(
      R"({"kind":"esketamine","scheduled_at":"2026-11-21T09:00:00Z","appointment_id":"a",
          "course_session_id":"c","planned_dose_mg":56})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, "esketamine");
  EXPECT_EQ(r->scheduled_at, ParseTimestamp("2026-11-21T09:00:00Z"));
  EXPECT_EQ(r->appointment_id, "a");
  EXPECT_EQ(r->course_session_id, "c");
  EXPECT_EQ(r->planned_dose_mg, 56);
  auto minimal = DecodeSessionCreateRequest(json::parse(R"({"kind":"iv_ketamine"})"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_FALSE(minimal->scheduled_at || minimal->appointment_id || minimal->planned_dose_mg);
}

TEST(DecodeSessionCreateRequest, NamesTheBadField) {
  ExpectRefused<SessionCreateRequest>(
      DecodeSessionCreateRequest,
      {{R"({})", "kind", "is required"},
       {R"({"kind":1})", "kind", "must be a string"},
       {R"({"kind":"iv_ketamine","scheduled_at":"monday"})", "scheduled_at",
        "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z"},
       {R"({"kind":"iv_ketamine","appointment_id":5})", "appointment_id", "must be a string"},
       {R"({"kind":"esketamine","planned_dose_mg":0})", "planned_dose_mg",
        "must be between 1 and 1000"},
       {R"({"kind":"esketamine","planned_dose_mg":28.5})", "planned_dose_mg", "must be an integer"},
       {R"({"kind":"iv_ketamine","dose":1})", "dose", "is not a known field"}});
}

TEST(DecodeSessionTransitionRequest, ReadsRateAndDefaultsReason) {
  auto r = DecodeSessionTransitionRequest(json::parse(R"({"to":"running","rate_ml_per_h":60})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->to, "running");
  EXPECT_EQ(r->reason, "");
  EXPECT_EQ(r->rate, MlPerHour(60));
  ExpectRefused<SessionTransitionRequest>(
      DecodeSessionTransitionRequest,
      {{R"({"reason":"x"})", "to", "is required"},
       {R"({"to":"paused","reason":3})", "reason", "must be a string"},
       {R"({"to":"running","rate_ml_per_h":"fast"})", "rate_ml_per_h", "must be a number"},
       {R"({"to":"running","rate":60})", "rate", "is not a known field"}});
}

TEST(DecodePrecheckRequest, ReadsChecks) {
  auto r = DecodePrecheckRequest(
      json::parse(R"({"escort_present":true,"pregnancy_test":"not_applicable"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->escort_present, true);
  EXPECT_EQ(r->pregnancy_test, ses::PregnancyTest::kNotApplicable);
  ExpectRefused<ses::NurseChecks>(
      DecodePrecheckRequest, {{R"({"pregnancy_test":"negative"})", "escort_present", "is required"},
                              {R"({"escort_present":"yes","pregnancy_test":"negative"})",
                               "escort_present", "must be true or false"},
                              {R"({"escort_present":true})", "pregnancy_test", "is required"},
                              {R"({"escort_present":true,"pregnancy_test":"maybe"})",
                               "pregnancy_test", "must be negative, positive or not_applicable"},
                              {R"({"escort_present":true,"pregnancy_test":"negative","x":1})", "x",
                               "is not a known field"}});
}

TEST(DecodePumpRateRequest, RequiresTheRate) {
  auto r = DecodePumpRateRequest(json::parse(R"({"rate_ml_per_h":42.5,"reason":"nausea"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rate, MlPerHour(42.5));
  EXPECT_EQ(r->reason, "nausea");
  ExpectRefused<PumpRateRequest>(
      DecodePumpRateRequest,
      {{R"({})", "rate_ml_per_h", "is required"},
       {R"({"rate_ml_per_h":null})", "rate_ml_per_h", "is required"},
       {R"({"rate_ml_per_h":"60"})", "rate_ml_per_h", "must be a number"},
       {R"({"rate_ml_per_h":60,"reason":false})", "reason", "must be a string"},
       // Unknown members are named before a missing rate.
       {R"({"ml_per_h":60})", "ml_per_h", "is not a known field"}});
}

TEST(DecodeVitalsRequest, ReadsEachValue) {
  auto r = DecodeVitalsRequest(
      json::parse(R"({"sbp":128,"dbp":82,"hr":71,"spo2":98,"rr":14,"at":"2026-11-21T09:05:00Z"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->vital.sbp, 128);
  EXPECT_EQ(r->vital.dbp, 82);
  EXPECT_EQ(r->vital.hr, 71);
  EXPECT_EQ(r->vital.spo2, 98);
  EXPECT_EQ(r->vital.rr, 14);
  EXPECT_EQ(r->at, ParseTimestamp("2026-11-21T09:05:00Z"));
  auto one = DecodeVitalsRequest(json::parse(R"({"hr":60})"));
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(one->vital.sbp || one->vital.spo2 || one->at);
}

TEST(DecodeVitalsRequest, RefusesOutOfRangeAndWrongTypes) {
  ExpectRefused<VitalsRequest>(DecodeVitalsRequest,
                               {{R"({"sbp":401})", "sbp", "must be between 0 and 400"},
                                {R"({"sbp":-1})", "sbp", "must be between 0 and 400"},
                                {R"({"dbp":500})", "dbp", "must be between 0 and 400"},
                                {R"({"hr":"70"})", "hr", "must be an integer"},
                                {R"({"spo2":101})", "spo2", "must be between 0 and 100"},
                                {R"({"rr":12.5})", "rr", "must be an integer"},
                                {R"({"rr":101})", "rr", "must be between 0 and 100"},
                                {R"({"hr":70,"at":"noon"})", "at",
                                 "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z"},
                                {R"({"hr":70,"temp":37})", "temp", "is not a known field"}});
}

TEST(DecodeSideEffectRequest, ReadsTheEvent) {
  auto r = DecodeSideEffectRequest(
      json::parse(R"({"effect":"nausea","severity":"mild","action":"ondansetron"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->effect, "nausea");
  EXPECT_EQ(r->severity, "mild");
  EXPECT_EQ(r->action, "ondansetron");
  EXPECT_EQ(r->note, "");
  ExpectRefused<ses::SideEffectEvent>(
      DecodeSideEffectRequest,
      {{R"({"severity":"mild","action":"none"})", "effect", "is required"},
       {R"({"effect":"nausea","action":"none"})", "severity", "is required"},
       {R"({"effect":"nausea","severity":"mild"})", "action", "is required"},
       {R"({"effect":"nausea","severity":"mild","action":"none","note":1})", "note",
        "must be a string"},
       {R"({"effect":"nausea","severity":"mild","action":"none","grade":2})", "grade",
        "is not a known field"}});
}

TEST(DecodeSessionScoreRequest, ReadsItemsWithGaps) {
  auto r = DecodeSessionScoreRequest(json::parse(R"({"instrument":"cadss","items":[1,null,3]})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->instrument, "cadss");
  EXPECT_EQ(r->items, (std::vector<std::optional<int>>{1, std::nullopt, 3}));
  ExpectRefused<SessionScoreRequest>(
      DecodeSessionScoreRequest,
      {{R"({"items":[]})", "instrument", "must be cadss or bprs"},
       {R"({"instrument":7,"items":[]})", "instrument", "must be cadss or bprs"},
       {R"({"instrument":"bprs"})", "items", "must be an array of item scores"},
       {R"({"instrument":"bprs","items":{}})", "items", "must be an array of item scores"},
       {R"({"instrument":"bprs","items":[1,"2"]})", "item_2", "must be a whole number or null"},
       {R"({"instrument":"bprs","items":[1.5]})", "item_1", "must be a whole number or null"},
       // An unknown member is named first, even when the known ones are wrong too.
       {R"({"instrument":7,"total":3})", "total", "is not a known field"}});
}

TEST(DecodeDoseDrawRequest, RequiresLotAndAmount) {
  auto r = DecodeDoseDrawRequest(json::parse(R"({"lot_id":"L1","amount_mg":35.5})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lot_id, "L1");
  EXPECT_EQ(r->amount, Milligrams(35.5));
  ExpectRefused<DoseDrawRequest>(
      DecodeDoseDrawRequest,
      {{R"({"amount_mg":10})", "lot_id", "is required"},
       {R"({"lot_id":"L1"})", "amount_mg", "is required"},
       {R"({"lot_id":"L1","amount_mg":"10"})", "amount_mg", "must be a number"},
       {R"({"lot_id":"L1","amount_mg":10,"ml":1})", "ml", "is not a known field"}});
}

TEST(DecodeDoseWasteRequest, ReadsTheWitness) {
  auto r = DecodeDoseWasteRequest(
      json::parse(R"({"amount_mg":4.5,"witness_username":"nurse2","witness_password":"pw"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->amount, Milligrams(4.5));
  EXPECT_EQ(r->witness_username, "nurse2");
  EXPECT_EQ(r->witness_password, "pw");
  auto bare = DecodeDoseWasteRequest(json::parse(R"({"amount_mg":1})"));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->witness_username, "");
  ExpectRefused<DoseWasteRequest>(
      DecodeDoseWasteRequest,
      {{R"({"witness_username":"n"})", "amount_mg", "is required"},
       {R"({"amount_mg":true})", "amount_mg", "must be a number"},
       {R"({"amount_mg":1,"witness_username":2})", "witness_username", "must be a string"},
       {R"({"amount_mg":1,"witness_password":[]})", "witness_password", "must be a string"},
       {R"({"amount_mg":1,"witness":"n"})", "witness", "is not a known field"}});
}

TEST(DecodeDeviceRequest, RequiresMg) {
  auto r = DecodeDeviceRequest(json::parse(R"({"mg":28})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 28);
  ExpectRefused<int>(DecodeDeviceRequest, {{R"({})", "mg", "is required (28)"},
                                           {R"({"mg":1001})", "mg", "must be between 0 and 1000"},
                                           {R"({"mg":"28"})", "mg", "must be an integer"},
                                           {R"({"mg":28,"n":1})", "n", "is not a known field"}});
}

TEST(DecodeDischargeRequest, KeepsOnlyTheItemsSent) {
  auto r = DecodeDischargeRequest(json::parse(R"({"alert_oriented":true,"walks_safely":false})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::map<std::string, bool>{{"alert_oriented", true}, {"walks_safely", false}}));
  ExpectRefused<std::map<std::string, bool>>(
      DecodeDischargeRequest,
      {{R"({"escort_present":"yes"})", "escort_present", "must be true or false"},
       {R"({"pain_controlled":true})", "pain_controlled", "is not a known field"}});
}

TEST(DecodeRemsRequest, ReadsNestedObjects) {
  auto r = DecodeRemsRequest(json::parse(
      R"({"concomitant":{"benzodiazepines":false,"opioids":true},
          "monitoring_clinician":{"name":"Dr A","phone":"555"},"setting":"clinic",
          "lot_number":"L9","ready_to_leave_at":"2026-11-21T11:00:00Z"})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->benzodiazepines, false);
  EXPECT_EQ(r->opioids, true);
  EXPECT_FALSE(r->maois.has_value());
  EXPECT_EQ(r->clinician_name, "Dr A");
  EXPECT_EQ(r->clinician_phone, "555");
  EXPECT_EQ(r->setting, "clinic");
  EXPECT_EQ(r->lot_number, "L9");
  EXPECT_EQ(r->ready_to_leave_at, ParseTimestamp("2026-11-21T11:00:00Z"));
  const std::string long_text(501, 'x');
  ExpectRefused<ses::RemsEntry>(
      DecodeRemsRequest,
      {{R"({"concomitant":true})", "concomitant", "must be an object"},
       {R"({"concomitant":{"maois":"no"}})", "concomitant.maois", "must be true or false"},
       {R"({"concomitant":{"alcohol":true}})", "concomitant.alcohol", "is not a known field"},
       {R"({"monitoring_clinician":{"name":1}})", "monitoring_clinician.name", "must be a string"},
       {R"({"monitoring_clinician":{"email":"a@b"}})", "monitoring_clinician.email",
        "is not a known field"},
       {R"({"ready_to_leave_at":"later"})", "ready_to_leave_at",
        "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z"},
       {R"({"setting":")" + long_text + R"("})", "body", "texts are at most 500 characters"},
       {R"({"notes":""})", "notes", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
