#include "kclinic/codec/patient_json.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

using domain::PatientFields;
using domain::RelatedPerson;
using nlohmann::json;

namespace {

json RelatedToJson(const RelatedPerson& p) {
  return {{"name", p.name}, {"phone", p.phone}, {"relationship", p.relationship}};
}

Result<std::optional<std::chrono::year_month_day>> DateMember(ObjectReader& r,
                                                              std::string_view key) {
  KC_ASSIGN_OR_RETURN(auto text, r.String(key));
  if (!text) return std::optional<std::chrono::year_month_day>();
  auto date = ParseDate(*text);
  if (!date) return InvalidArgument(r.FieldPath(key), "must be a date YYYY-MM-DD");
  return std::optional<std::chrono::year_month_day>(*date);
}

// Reads {"name","phone","relationship"} members into the three optionals.
Status ReadRelated(ObjectReader& r, std::string_view key, std::optional<std::string>* name,
                   std::optional<std::string>* phone, std::optional<std::string>* relationship) {
  KC_ASSIGN_OR_RETURN(auto obj, r.Object(key));
  if (!obj) {
    if (r.IsNull(key)) *name = *phone = *relationship = std::string();
    return Status::Ok();
  }
  KC_ASSIGN_OR_RETURN(*name, obj->String("name"));
  KC_ASSIGN_OR_RETURN(*phone, obj->String("phone"));
  KC_ASSIGN_OR_RETURN(*relationship, obj->String("relationship"));
  return obj->Finish();
}

// Reads every editable member of a patient body into a patch.
Status ReadPatch(ObjectReader& r, domain::PatientPatch* p) {
  KC_ASSIGN_OR_RETURN(auto name, r.Object("name"));
  if (name) {
    KC_ASSIGN_OR_RETURN(p->given, name->String("given"));
    KC_ASSIGN_OR_RETURN(p->family, name->String("family"));
    KC_RETURN_IF_ERROR(name->Finish());
  }
  KC_ASSIGN_OR_RETURN(p->birth_date, DateMember(r, "birth_date"));
  KC_ASSIGN_OR_RETURN(auto sex, r.String("sex"));
  if (sex) {
    p->sex = domain::ParseSex(*sex);
    if (!p->sex) return InvalidArgument("sex", "must be one of female, male, other, unknown");
  }
  KC_ASSIGN_OR_RETURN(auto contact, r.Object("contact"));
  if (contact) {
    KC_ASSIGN_OR_RETURN(p->phone, contact->String("phone"));
    KC_ASSIGN_OR_RETURN(p->email, contact->String("email"));
    KC_ASSIGN_OR_RETURN(p->address, contact->String("address"));
    KC_RETURN_IF_ERROR(contact->Finish());
  }
  bool height_null = r.IsNull("height_cm");
  KC_ASSIGN_OR_RETURN(auto height, r.Number("height_cm"));
  if (height) {
    p->height_cm = std::optional<Centimeters>(Centimeters(*height));
  } else if (height_null) {
    p->height_cm = std::optional<Centimeters>();
  }
  KC_ASSIGN_OR_RETURN(p->allergies, r.StringArray("allergies"));
  KC_RETURN_IF_ERROR(ReadRelated(r, "emergency_contact", &p->emergency_name, &p->emergency_phone,
                                 &p->emergency_relationship));
  KC_RETURN_IF_ERROR(
      ReadRelated(r, "escort", &p->escort_name, &p->escort_phone, &p->escort_relationship));
  return Status::Ok();
}

}  // namespace

json FieldsToJson(const PatientFields& f) {
  json j = {
      {"name", {{"given", f.name.given}, {"family", f.name.family}}},
      {"birth_date", f.birth_date.ok() ? FormatDate(f.birth_date) : ""},
      {"sex", domain::SexCode(f.sex)},
      {"contact",
       {{"phone", f.contact.phone}, {"email", f.contact.email}, {"address", f.contact.address}}},
      {"height_cm", f.height_cm ? json(f.height_cm->value()) : json(nullptr)},
      {"allergies", f.allergies},
      {"emergency_contact", RelatedToJson(f.emergency_contact)},
      {"escort", RelatedToJson(f.escort)},
  };
  return j;
}

json WeightToJson(const domain::WeightEntry& w) {
  return {{"id", w.id.value()},
          {"date", FormatDate(w.measured_on)},
          {"kg", w.kg.value()},
          {"recorded_at", FormatTimestamp(w.recorded_at)},
          {"recorded_by", w.recorded_by}};
}

json PatientToJson(const domain::Patient& p) {
  json j = {{"id", p.id.value()}, {"version", p.version}};
  j.update(FieldsToJson(p.fields));
  json weights = json::array();
  for (const auto& w : p.weights) weights.push_back(WeightToJson(w));
  j["weights"] = std::move(weights);
  j["created_at"] = FormatTimestamp(p.created_at);
  j["updated_at"] = FormatTimestamp(p.updated_at);
  return j;
}

Result<std::pair<std::chrono::year_month_day, Kilograms>> WeightFromJson(const json& body,
                                                                         std::string_view prefix) {
  ObjectReader r(body, std::string(prefix));
  KC_ASSIGN_OR_RETURN(auto date, DateMember(r, "date"));
  KC_ASSIGN_OR_RETURN(auto kg, r.Number("kg"));
  if (!date) return InvalidArgument(r.FieldPath("date"), "is required");
  if (!kg) return InvalidArgument(r.FieldPath("kg"), "is required");
  KC_RETURN_IF_ERROR(r.Finish());
  return std::make_pair(*date, Kilograms(*kg));
}

Result<Registration> RegistrationFromJson(const json& body) {
  ObjectReader r(body, "");
  domain::PatientPatch patch;
  KC_RETURN_IF_ERROR(ReadPatch(r, &patch));
  Registration reg;
  if (!patch.given) return InvalidArgument("name.given", "is required");
  if (!patch.family) return InvalidArgument("name.family", "is required");
  if (!patch.birth_date) return InvalidArgument("birth_date", "is required");
  reg.fields = domain::ApplyPatch(PatientFields{}, patch);
  KC_ASSIGN_OR_RETURN(auto weight, r.Object("weight"));
  (void)weight;
  if (r.Has("weight")) {
    KC_ASSIGN_OR_RETURN(auto w, WeightFromJson(body.at("weight"), "weight"));
    reg.weight = w;
  }
  KC_RETURN_IF_ERROR(r.Finish());
  return reg;
}

Result<PatchRequest> PatchFromJson(const json& body) {
  ObjectReader r(body, "");
  PatchRequest req;
  KC_RETURN_IF_ERROR(ReadPatch(r, &req.patch));
  KC_ASSIGN_OR_RETURN(req.reason, r.String("reason"));
  KC_RETURN_IF_ERROR(r.Finish());
  if (req.reason && req.reason->size() > 500) {
    return InvalidArgument("reason", "must be at most 500 characters");
  }
  return req;
}

Result<PatientFields> FieldsFromJson(const json& snapshot) {
  ObjectReader r(snapshot, "");
  domain::PatientPatch patch;
  KC_RETURN_IF_ERROR(ReadPatch(r, &patch));
  return domain::ApplyPatch(PatientFields{}, patch);
}

}  // namespace kclinic::codec
