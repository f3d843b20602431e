#include "kclinic/codec/schedule_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

using nlohmann::json;

constexpr char kBadBookingInstant[] = "must be a UTC timestamp like 2026-11-24T14:00:00Z";

TEST(DecodeOpeningHoursRequest, ReadsEachDay) {
  auto r = DecodeOpeningHoursRequest(json::parse(
      R"({"time_zone":"America/New_York","hours":[{"weekday":1,"open":"08:00","close":"18:00"},
          {"weekday":6,"open":"09:00","close":"13:00"}]})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->time_zone, "America/New_York");
  ASSERT_EQ(r->hours.size(), 2u);
  EXPECT_EQ(r->hours[1].weekday, 6);
  EXPECT_EQ(r->hours[1].open, "09:00");
  EXPECT_EQ(r->hours[1].close, "13:00");
  auto closed = DecodeOpeningHoursRequest(json::parse(R"({"hours":[]})"));
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->time_zone);
  EXPECT_TRUE(closed->hours.empty());
}

TEST(DecodeOpeningHoursRequest, NamesTheBadElement) {
  ExpectRefused<OpeningHoursRequest>(
      DecodeOpeningHoursRequest,
      {{R"({"time_zone":"UTC","hours":[],"days":1})", "days", "is not a known field"},
       {R"({"time_zone":3,"hours":[]})", "time_zone", "must be a string"},
       {R"({"time_zone":"UTC"})", "hours", "is required"},
       {R"({"hours":{}})", "hours", "must be an array"},
       {R"({"hours":[7]})", "hours[0]", "must be an object"},
       {R"({"hours":[{"open":"08:00","close":"18:00"}]})", "hours[0].weekday", "is required"},
       {R"({"hours":[{"weekday":"mon","open":"08:00","close":"18:00"}]})", "hours[0].weekday",
        "must be an integer"},
       {R"({"hours":[{"weekday":1,"open":"08:00","close":"18:00"},{"weekday":2,"close":"1"}]})",
        "hours[1].open", "is required"},
       {R"({"hours":[{"weekday":1,"open":"08:00"}]})", "hours[0].close", "is required"},
       {R"({"hours":[{"weekday":1,"open":"08:00","close":"18:00","lunch":true}]})",
        "hours[0].lunch", "is not a known field"}});
}

TEST(DecodeResourceRequests, HolidayShiftAndQualifications) {
  auto h = DecodeHolidayRequest(json::parse(R"({"date":"2026-12-25","name":"Christmas"})"));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->date, "2026-12-25");
  EXPECT_EQ(h->name, "Christmas");
  ExpectRefused<domain::Holiday>(
      DecodeHolidayRequest,
      {{R"({"name":"x"})", "date", "is required"},
       {R"({"date":"2026-12-25"})", "name", "is required"},
       {R"({"date":"d","name":"n","closed":true})", "closed", "is not a known field"}});
  auto s = DecodeShiftRequest(
      json::parse(R"({"username":"nurse1","date":"2026-11-24","start":"08:00","end":"16:00"})"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->username, "nurse1");
  EXPECT_EQ(s->date, "2026-11-24");
  EXPECT_EQ(s->start, "08:00");
  EXPECT_EQ(s->end, "16:00");
  EXPECT_EQ(s->id, "");
  ExpectRefused<domain::StaffShift>(
      DecodeShiftRequest, {{R"({"date":"d","start":"s","end":"e"})", "username", "is required"},
                           {R"({"username":"u","start":"s","end":"e"})", "date", "is required"},
                           {R"({"username":"u","date":"d","end":"e"})", "start", "is required"},
                           {R"({"username":"u","date":"d","start":"s"})", "end", "is required"},
                           {R"({"username":"u","date":"d","start":"s","end":"e","chair":"c"})",
                            "chair", "is not a known field"}});
  auto q = DecodeQualificationsRequest(json::parse(R"({"qualifications":["iv","esketamine"]})"));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, (std::vector<std::string>{"iv", "esketamine"}));
  ExpectRefused<std::vector<std::string>>(
      DecodeQualificationsRequest,
      {{R"({})", "qualifications", "is required"},
       {R"({"qualifications":"iv"})", "qualifications", "must be an array of strings"},
       {R"({"qualifications":["iv",2]})", "qualifications.1", "must be a string"},
       {R"({"qualifications":[],"role":"nurse"})", "role", "is not a known field"}});
}

TEST(DecodeSeriesRequests, ProposalAndBooking) {
  auto p = DecodeSeriesProposalRequest(json::parse(R"({"protocol":"iv6","start":"2026-11-24"})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->protocol, "iv6");
  EXPECT_EQ(p->start, "2026-11-24");
  ExpectRefused<SeriesProposalRequest>(
      DecodeSeriesProposalRequest,
      {{R"({"start":"2026-11-24"})", "protocol", "is required"},
       {R"({"protocol":"iv6"})", "start", "is required"},
       {R"({"protocol":"iv6","start":"s","weeks":2})", "weeks", "is not a known field"}});

  auto b = DecodeSeriesBookingRequest(json::parse(
      R"({"protocol":"iv6","sessions":[{"start":"2026-11-24T14:00:00Z","chair_id":"c1",
          "nurse":"nurse1"}]})"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->protocol, "iv6");
  ASSERT_EQ(b->sessions.size(), 1u);
  EXPECT_EQ(b->sessions[0].start, ParseTimestamp("2026-11-24T14:00:00Z"));
  EXPECT_EQ(b->sessions[0].chair_id, "c1");
  EXPECT_EQ(b->sessions[0].nurse, "nurse1");
  ExpectRefused<SeriesBookingRequest>(
      DecodeSeriesBookingRequest,
      {{R"({"protocol":"iv6","sessions":[],"x":1})", "x", "is not a known field"},
       {R"({"sessions":[]})", "protocol", "is required"},
       {R"({"protocol":"iv6"})", "sessions", "is required"},
       {R"({"protocol":"iv6","sessions":"all"})", "sessions", "must be an array"},
       {R"({"protocol":"iv6","sessions":[null]})", "sessions[0]", "must be an object"},
       {R"({"protocol":"iv6","sessions":[{"chair_id":"c","nurse":"n"}]})", "sessions[0].start",
        "is required"},
       {R"({"protocol":"iv6","sessions":[{"start":"tomorrow","chair_id":"c","nurse":"n"}]})",
        "sessions[0].start", kBadBookingInstant},
       {R"({"protocol":"iv6","sessions":[{"start":"2026-11-24T14:00:00Z","nurse":"n"}]})",
        "sessions[0].chair_id", "is required"},
       {R"({"protocol":"iv6","sessions":[{"start":"2026-11-24T14:00:00Z","chair_id":"c"}]})",
        "sessions[0].nurse", "is required"},
       {R"({"protocol":"iv6","sessions":[{"start":"2026-11-24T14:00:00Z","chair_id":"c",
            "nurse":"n","type":"iv"}]})",
        "sessions[0].type", "is not a known field"}});
}

TEST(DecodeAppointmentRequests, BookAndMove) {
  auto a = DecodeAppointmentRequest(json::parse(
      R"({"type":"consult","start":"2026-11-24T14:00:00Z","chair_id":"c1","nurse":"n1"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->type, "consult");
  EXPECT_EQ(a->slot.chair_id, "c1");
  ExpectRefused<AppointmentRequest>(
      DecodeAppointmentRequest,
      {{R"({"start":"2026-11-24T14:00:00Z","chair_id":"c","nurse":"n"})", "type", "is required"},
       {R"({"type":"t","start":"2026-11-24","chair_id":"c","nurse":"n"})", "start",
        kBadBookingInstant},
       {R"({"type":"t","start":5,"chair_id":"c","nurse":"n"})", "start", "must be a string"},
       {R"({"type":"t","start":"2026-11-24T14:00:00Z","chair_id":"c","nurse":"n","x":0})", "x",
        "is not a known field"}});
  auto m = DecodeAppointmentMoveRequest(json::parse(
      R"({"start":"2026-11-25T14:00:00Z","chair_id":"c2","nurse":"n2","reason":"asked"})"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->slot.start, ParseTimestamp("2026-11-25T14:00:00Z"));
  EXPECT_EQ(m->reason, "asked");
  ExpectRefused<AppointmentMoveRequest>(
      DecodeAppointmentMoveRequest,
      {{R"({"start":"2026-11-25T14:00:00Z","chair_id":"c","nurse":"n"})", "reason", "is required"},
       {R"({"chair_id":"c","nurse":"n","reason":"r"})", "start", "is required"}});
}

TEST(DecodeBookingRequestRequest, ReadsPreferredDays) {
  auto r = DecodeBookingRequestRequest(json::parse(
      R"({"preferred":[{"date":"2026-11-24","part":"morning"},{"date":"2026-11-25"}],
          "note":"after 10"})"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->preferred.size(), 2u);
  EXPECT_EQ(r->preferred[0].part, "morning");
  EXPECT_EQ(r->preferred[1].date, "2026-11-25");
  EXPECT_EQ(r->preferred[1].part, "any");
  EXPECT_EQ(r->note, "after 10");
  ExpectRefused<BookingRequestRequest>(
      DecodeBookingRequestRequest,
      {{R"({"preferred":[],"phone":"1"})", "phone", "is not a known field"},
       {R"({"note":"x"})", "preferred", "is required"},
       {R"({"preferred":"monday"})", "preferred", "must be an array"},
       {R"({"preferred":["monday"]})", "preferred[0]", "must be an object"},
       {R"({"preferred":[{"part":"any"}]})", "preferred[0].date", "is required"},
       {R"({"preferred":[{"date":"d","part":1}]})", "preferred[0].part", "must be a string"},
       {R"({"preferred":[{"date":"d","time":"9"}]})", "preferred[0].time", "is not a known field"},
       {R"({"preferred":[],"note":5})", "note", "must be a string"}});
}

TEST(DecodeBookingDecisions, AcceptProposeAndRespond) {
  auto accept = DecodeSlotChoiceRequest(
      json::parse(R"({"start":"2026-11-24T14:00:00Z","chair_id":"c1","nurse":"n1"})"));
  ASSERT_TRUE(accept.ok());
  EXPECT_EQ(accept->nurse, "n1");
  ExpectRefused<SlotChoice>(
      DecodeSlotChoiceRequest,
      {{R"({"start":"2026-11-24T14:00:00Z","chair_id":"c1"})", "nurse", "is required"},
       {R"({"start":"2026-11-24T14:00:00Z","chair_id":"c1","nurse":"n","note":"x"})", "note",
        "is not a known field"}});
  auto propose = DecodeBookingProposalRequest(json::parse(
      R"({"start":"2026-11-24T14:00:00Z","chair_id":"c1","nurse":"n1","note":"only slot"})"));
  ASSERT_TRUE(propose.ok());
  EXPECT_EQ(propose->note, "only slot");
  ExpectRefused<BookingProposalRequest>(
      DecodeBookingProposalRequest,
      {{R"({"start":"2026-11-24T14:00:00Z","chair_id":"c1","nurse":"n","note":1})", "note",
        "must be a string"}});
  auto yes = DecodeProposalResponseRequest(json::parse(R"({"accept":false})"));
  ASSERT_TRUE(yes.ok());
  EXPECT_FALSE(*yes);
  ExpectRefused<bool>(DecodeProposalResponseRequest,
                      {{R"({})", "accept", "is required"},
                       {R"({"accept":"yes"})", "accept", "must be true or false"},
                       {R"({"accept":true,"why":"x"})", "why", "is not a known field"}});
}

TEST(DecodeBoosterDecisionRequest, ReadsAndBoundsTheInterval) {
  auto r = DecodeBoosterDecisionRequest(json::parse(
      R"({"date":"2026-12-01","interval_days":21,"accepted":false,"reason":"travel"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->date, "2026-12-01");
  EXPECT_EQ(r->interval_days, 21);
  EXPECT_FALSE(r->accepted);
  EXPECT_EQ(r->reason, "travel");
  ExpectRefused<BoosterDecisionRequest>(
      DecodeBoosterDecisionRequest,
      {{R"({"interval_days":21,"accepted":true})", "date", "is required"},
       {R"({"date":"d","accepted":true})", "interval_days", "is required"},
       {R"({"date":"d","interval_days":"21","accepted":true})", "interval_days",
        "must be an integer"},
       {R"({"date":"d","interval_days":21})", "accepted", "is required"},
       {R"({"date":"d","interval_days":21,"accepted":true,"reason":1})", "reason",
        "must be a string"},
       {R"({"date":"d","interval_days":0,"accepted":true})", "interval_days", "must be 1..365"},
       {R"({"date":"d","interval_days":366,"accepted":true})", "interval_days", "must be 1..365"},
       // Unknown members are named before the interval's range.
       {R"({"date":"d","interval_days":0,"accepted":true,"x":1})", "x", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
