#include "kclinic/codec/patient_json.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

using domain::PatientFields;
using domain::RelatedPerson;
using nlohmann::json;

namespace {

void WriteRelated(JsonWriter& w, std::string_view key, const RelatedPerson& p) {
  w.Key(key).BeginObject();
  w.Key("name").String(p.name).Key("phone").String(p.phone);
  w.Key("relationship").String(p.relationship).EndObject();
}

// The members of PatientFields, inside an object the caller opened.
void WriteFieldMembers(JsonWriter& w, const PatientFields& f) {
  w.Key("name").BeginObject().Key("given").String(f.name.given);
  w.Key("family").String(f.name.family).EndObject();
  w.Key("birth_date").String(f.birth_date.ok() ? FormatDate(f.birth_date) : "");
  w.Key("sex").String(domain::SexCode(f.sex));
  w.Key("contact").BeginObject().Key("phone").String(f.contact.phone);
  w.Key("email").String(f.contact.email).Key("address").String(f.contact.address).EndObject();
  w.Key("height_cm");
  if (f.height_cm) {
    w.Number(f.height_cm->value());
  } else {
    w.Null();
  }
  w.Key("allergies").BeginArray();
  for (const auto& a : f.allergies) w.String(a);
  w.EndArray();
  WriteRelated(w, "emergency_contact", f.emergency_contact);
  WriteRelated(w, "escort", f.escort);
}

void WriteWeight(JsonWriter& w, const domain::WeightEntry& e) {
  w.BeginObject().Key("id").String(e.id.value()).Key("date").String(FormatDate(e.measured_on));
  w.Key("kg").Number(e.kg.value()).Key("recorded_at").String(FormatTimestamp(e.recorded_at));
  w.Key("recorded_by").String(e.recorded_by).EndObject();
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
  KC_ASSIGN_OR_RETURN(p->birth_date, r.Date("birth_date"));
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

std::string FieldsJson(const PatientFields& f) {
  JsonWriter w;
  w.BeginObject();
  WriteFieldMembers(w, f);
  w.EndObject();
  return w.Take();
}

std::string WeightJson(const domain::WeightEntry& e) {
  JsonWriter w;
  WriteWeight(w, e);
  return w.Take();
}

void WritePatient(JsonWriter& w, const domain::Patient& p) {
  w.BeginObject().Key("id").String(p.id.value()).Key("version").Integer(p.version);
  WriteFieldMembers(w, p.fields);
  w.Key("weights").BeginArray();
  for (const auto& e : p.weights) WriteWeight(w, e);
  w.EndArray();
  w.Key("created_at").String(FormatTimestamp(p.created_at));
  w.Key("updated_at").String(FormatTimestamp(p.updated_at)).EndObject();
}

std::string PatientJson(const domain::Patient& p) {
  JsonWriter w;
  WritePatient(w, p);
  return w.Take();
}

Result<std::pair<std::chrono::year_month_day, Kilograms>> WeightFromJson(const json& body,
                                                                         std::string_view prefix) {
  ObjectReader r(body, std::string(prefix));
  KC_ASSIGN_OR_RETURN(auto date, r.Date("date"));
  KC_ASSIGN_OR_RETURN(auto kg, r.Number("kg"));
  if (!date) return InvalidArgument(r.FieldPath("date"), "is required");
  if (!kg) return InvalidArgument(r.FieldPath("kg"), "is required");
  KC_RETURN_IF_ERROR(r.Finish());
  return std::make_pair(*date, Kilograms(*kg));
}

Result<WeightRequest> WeightRequestFromJson(const json& body) {
  ObjectReader r(body, "");
  KC_ASSIGN_OR_RETURN(auto date, r.Date("date"));
  KC_ASSIGN_OR_RETURN(auto kg, r.Number("kg"));
  KC_ASSIGN_OR_RETURN(auto confirm, r.Bool("confirm"));
  if (!date) return InvalidArgument("date", "is required");
  if (!kg) return InvalidArgument("kg", "is required");
  KC_RETURN_IF_ERROR(r.Finish());
  return WeightRequest{*date, Kilograms(*kg), confirm.value_or(false)};
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
  KC_ASSIGN_OR_RETURN(auto confirm, r.Bool("confirm"));
  reg.confirm = confirm.value_or(false);
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
