#include "kclinic/codec/schedule_request.h"

#include <algorithm>
#include <initializer_list>

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace {

using nlohmann::json;

// A required UTC instant member of `reader`.
Result<Timestamp> RequiredInstant(ObjectReader& reader, std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto text, reader.RequiredString(key));
  auto t = ParseTimestamp(text);
  if (!t) {
    return InvalidArgument(reader.FieldPath(key),
                           "must be a UTC timestamp like 2026-11-24T14:00:00Z");
  }
  return *t;
}

// {start, chair_id, nurse} (the rest of the object is left to the caller).
Result<SlotChoice> ChoiceFrom(ObjectReader& reader) {
  SlotChoice c;
  KC_ASSIGN_OR_RETURN(c.start, RequiredInstant(reader, "start"));
  KC_ASSIGN_OR_RETURN(c.chair_id, reader.RequiredString("chair_id"));
  KC_ASSIGN_OR_RETURN(c.nurse, reader.RequiredString("nurse"));
  return c;
}

// A required array member of `body` (field `key`).
Result<const json*> RequiredArray(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return InvalidArgument(key, "is required");
  if (!it->is_array()) return InvalidArgument(key, "must be an array");
  return &*it;
}

// InvalidArgument naming the first member of `body` not in `known`. The bodies with arrays
// check their keys first, before any member is read.
Status OnlyKeys(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return InvalidArgument(key, "is not a known field");
    }
  }
  return Status::Ok();
}

// Element `i` of the array `list` named `name`, as a reader of an object ("name[i]").
Result<ObjectReader> Element(const json& list, const std::string& name, size_t i) {
  const std::string path = name + "[" + std::to_string(i) + "]";
  if (!list[i].is_object()) return InvalidArgument(path, "must be an object");
  return ObjectReader(list[i], path);
}

}  // namespace

Result<OpeningHoursRequest> DecodeOpeningHoursRequest(const json& body) {
  KC_RETURN_IF_ERROR(OnlyKeys(body, {"time_zone", "hours", "confirm"}));
  ObjectReader reader(body, "");
  OpeningHoursRequest r;
  KC_ASSIGN_OR_RETURN(r.time_zone, reader.String("time_zone"));
  KC_ASSIGN_OR_RETURN(auto confirm, reader.Bool("confirm"));
  r.confirm = confirm.value_or(false);
  KC_ASSIGN_OR_RETURN(const json* list, RequiredArray(body, "hours"));
  for (size_t i = 0; i < list->size(); ++i) {
    KC_ASSIGN_OR_RETURN(ObjectReader h, Element(*list, "hours", i));
    KC_ASSIGN_OR_RETURN(auto weekday, h.Integer("weekday"));
    if (!weekday) return InvalidArgument(h.FieldPath("weekday"), "is required");
    KC_ASSIGN_OR_RETURN(auto open, h.RequiredString("open"));
    KC_ASSIGN_OR_RETURN(auto close, h.RequiredString("close"));
    KC_RETURN_IF_ERROR(h.Finish());
    r.hours.push_back({static_cast<int>(*weekday), std::move(open), std::move(close)});
  }
  return r;
}

Result<domain::Holiday> DecodeHolidayRequest(const json& body) {
  ObjectReader reader(body, "");
  domain::Holiday h;
  KC_ASSIGN_OR_RETURN(h.date, reader.RequiredString("date"));
  KC_ASSIGN_OR_RETURN(h.name, reader.RequiredString("name"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return h;
}

Result<domain::StaffShift> DecodeShiftRequest(const json& body) {
  ObjectReader reader(body, "");
  domain::StaffShift s;
  KC_ASSIGN_OR_RETURN(s.username, reader.RequiredString("username"));
  KC_ASSIGN_OR_RETURN(s.date, reader.RequiredString("date"));
  KC_ASSIGN_OR_RETURN(s.start, reader.RequiredString("start"));
  KC_ASSIGN_OR_RETURN(s.end, reader.RequiredString("end"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return s;
}

Result<std::vector<std::string>> DecodeQualificationsRequest(const json& body) {
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(auto list, reader.StringArray("qualifications"));
  if (!list) return InvalidArgument("qualifications", "is required");
  KC_RETURN_IF_ERROR(reader.Finish());
  return *std::move(list);
}

Result<SeriesProposalRequest> DecodeSeriesProposalRequest(const json& body) {
  ObjectReader reader(body, "");
  SeriesProposalRequest r;
  KC_ASSIGN_OR_RETURN(r.protocol, reader.RequiredString("protocol"));
  KC_ASSIGN_OR_RETURN(r.start, reader.RequiredString("start"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<SeriesBookingRequest> DecodeSeriesBookingRequest(const json& body) {
  ObjectReader reader(body, "");
  KC_RETURN_IF_ERROR(OnlyKeys(body, {"protocol", "sessions"}));
  SeriesBookingRequest r;
  KC_ASSIGN_OR_RETURN(r.protocol, reader.RequiredString("protocol"));
  KC_ASSIGN_OR_RETURN(const json* list, RequiredArray(body, "sessions"));
  for (size_t i = 0; i < list->size(); ++i) {
    KC_ASSIGN_OR_RETURN(ObjectReader s, Element(*list, "sessions", i));
    KC_ASSIGN_OR_RETURN(auto choice, ChoiceFrom(s));
    KC_RETURN_IF_ERROR(s.Finish());
    r.sessions.push_back(std::move(choice));
  }
  return r;
}

Result<AppointmentRequest> DecodeAppointmentRequest(const json& body) {
  ObjectReader reader(body, "");
  AppointmentRequest r;
  KC_ASSIGN_OR_RETURN(r.type, reader.RequiredString("type"));
  KC_ASSIGN_OR_RETURN(r.slot, ChoiceFrom(reader));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<AppointmentMoveRequest> DecodeAppointmentMoveRequest(const json& body) {
  ObjectReader reader(body, "");
  AppointmentMoveRequest r;
  KC_ASSIGN_OR_RETURN(r.slot, ChoiceFrom(reader));
  KC_ASSIGN_OR_RETURN(r.reason, reader.RequiredString("reason"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<BookingRequestRequest> DecodeBookingRequestRequest(const json& body) {
  KC_RETURN_IF_ERROR(OnlyKeys(body, {"preferred", "note"}));
  BookingRequestRequest r;
  KC_ASSIGN_OR_RETURN(const json* list, RequiredArray(body, "preferred"));
  for (size_t i = 0; i < list->size(); ++i) {
    KC_ASSIGN_OR_RETURN(ObjectReader p, Element(*list, "preferred", i));
    KC_ASSIGN_OR_RETURN(auto date, p.RequiredString("date"));
    KC_ASSIGN_OR_RETURN(auto part, p.String("part"));
    KC_RETURN_IF_ERROR(p.Finish());
    r.preferred.push_back({std::move(date), part.value_or("any")});
  }
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(r.note, reader.String("note"));
  return r;
}

Result<SlotChoice> DecodeSlotChoiceRequest(const json& body) {
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(auto choice, ChoiceFrom(reader));
  KC_RETURN_IF_ERROR(reader.Finish());
  return choice;
}

Result<BookingProposalRequest> DecodeBookingProposalRequest(const json& body) {
  ObjectReader reader(body, "");
  BookingProposalRequest r;
  KC_ASSIGN_OR_RETURN(r.slot, ChoiceFrom(reader));
  KC_ASSIGN_OR_RETURN(r.note, reader.String("note"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<bool> DecodeProposalResponseRequest(const json& body) {
  ObjectReader reader(body, "");
  KC_ASSIGN_OR_RETURN(auto accept, reader.Bool("accept"));
  if (!accept) return InvalidArgument("accept", "is required");
  KC_RETURN_IF_ERROR(reader.Finish());
  return *accept;
}

Result<BoosterDecisionRequest> DecodeBoosterDecisionRequest(const json& body) {
  ObjectReader reader(body, "");
  BoosterDecisionRequest r;
  KC_ASSIGN_OR_RETURN(r.date, reader.RequiredString("date"));
  KC_ASSIGN_OR_RETURN(auto interval, reader.Integer("interval_days"));
  if (!interval) return InvalidArgument("interval_days", "is required");
  KC_ASSIGN_OR_RETURN(auto accepted, reader.Bool("accepted"));
  if (!accepted) return InvalidArgument("accepted", "is required");
  KC_ASSIGN_OR_RETURN(r.reason, reader.String("reason"));
  KC_RETURN_IF_ERROR(reader.Finish());
  if (*interval < 1 || *interval > 365) return InvalidArgument("interval_days", "must be 1..365");
  r.interval_days = static_cast<int>(*interval);
  r.accepted = *accepted;
  return r;
}

}  // namespace kclinic::codec
