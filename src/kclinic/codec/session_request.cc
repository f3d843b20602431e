#include "kclinic/codec/session_request.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace ses = domain::session;

namespace {

// An optional whole number in [lo, hi] (field `key`).
Result<std::optional<int>> IntField(ObjectReader& r, const char* key, int lo, int hi) {
  KC_ASSIGN_OR_RETURN(auto v, r.Integer(key));
  if (!v) return std::optional<int>();
  if (*v < lo || *v > hi) {
    return InvalidArgument(key,
                           "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return std::optional<int>(static_cast<int>(*v));
}

Result<std::optional<Timestamp>> TsField(ObjectReader& r, const char* key) {
  KC_ASSIGN_OR_RETURN(auto s, r.String(key));
  if (!s) return std::optional<Timestamp>();
  auto t = ParseTimestamp(*s);
  if (!t) return InvalidArgument(key, "must be a UTC timestamp like 2026-11-21T09:00:00.000000Z");
  return std::optional<Timestamp>(*t);
}

}  // namespace

Result<SessionCreateRequest> DecodeSessionCreateRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  SessionCreateRequest req;
  KC_ASSIGN_OR_RETURN(req.kind, r.RequiredString("kind"));
  KC_ASSIGN_OR_RETURN(req.scheduled_at, TsField(r, "scheduled_at"));
  KC_ASSIGN_OR_RETURN(req.appointment_id, r.String("appointment_id"));
  KC_ASSIGN_OR_RETURN(req.course_session_id, r.String("course_session_id"));
  KC_ASSIGN_OR_RETURN(req.planned_dose_mg, IntField(r, "planned_dose_mg", 1, 1000));
  KC_RETURN_IF_ERROR(r.Finish());
  return req;
}

Result<SessionTransitionRequest> DecodeSessionTransitionRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  SessionTransitionRequest req;
  KC_ASSIGN_OR_RETURN(req.to, r.RequiredString("to"));
  KC_ASSIGN_OR_RETURN(auto reason, r.String("reason"));
  req.reason = reason.value_or("");
  KC_ASSIGN_OR_RETURN(auto rate, r.Number("rate_ml_per_h"));
  if (rate) req.rate = MlPerHour(*rate);
  KC_RETURN_IF_ERROR(r.Finish());
  return req;
}

Result<ses::NurseChecks> DecodePrecheckRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  ses::NurseChecks checks;
  KC_ASSIGN_OR_RETURN(checks.escort_present, r.Bool("escort_present"));
  if (!checks.escort_present) return InvalidArgument("escort_present", "is required");
  KC_ASSIGN_OR_RETURN(auto pregnancy, r.RequiredString("pregnancy_test"));
  checks.pregnancy_test = ses::ParsePregnancyTest(pregnancy);
  if (!checks.pregnancy_test) {
    return InvalidArgument("pregnancy_test", "must be negative, positive or not_applicable");
  }
  KC_RETURN_IF_ERROR(r.Finish());
  return checks;
}

Result<PumpRateRequest> DecodePumpRateRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  KC_ASSIGN_OR_RETURN(auto rate, r.Number("rate_ml_per_h"));
  KC_ASSIGN_OR_RETURN(auto reason, r.String("reason"));
  KC_RETURN_IF_ERROR(r.Finish());
  if (!rate) return InvalidArgument("rate_ml_per_h", "is required");
  return PumpRateRequest{MlPerHour(*rate), reason.value_or("")};
}

Result<VitalsRequest> DecodeVitalsRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  VitalsRequest req;
  KC_ASSIGN_OR_RETURN(req.vital.sbp, IntField(r, "sbp", 0, 400));
  KC_ASSIGN_OR_RETURN(req.vital.dbp, IntField(r, "dbp", 0, 400));
  KC_ASSIGN_OR_RETURN(req.vital.hr, IntField(r, "hr", 0, 400));
  KC_ASSIGN_OR_RETURN(req.vital.spo2, IntField(r, "spo2", 0, 100));
  KC_ASSIGN_OR_RETURN(req.vital.rr, IntField(r, "rr", 0, 100));
  KC_ASSIGN_OR_RETURN(req.at, TsField(r, "at"));
  KC_RETURN_IF_ERROR(r.Finish());
  return req;
}

Result<ses::SideEffectEvent> DecodeSideEffectRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  ses::SideEffectEvent e;
  KC_ASSIGN_OR_RETURN(e.effect, r.RequiredString("effect"));
  KC_ASSIGN_OR_RETURN(e.severity, r.RequiredString("severity"));
  KC_ASSIGN_OR_RETURN(e.action, r.RequiredString("action"));
  KC_ASSIGN_OR_RETURN(auto note, r.String("note"));
  e.note = note.value_or("");
  KC_RETURN_IF_ERROR(r.Finish());
  return e;
}

Result<SessionScoreRequest> DecodeSessionScoreRequest(const nlohmann::json& body) {
  // Unknown members are named before anything else is read (the order clients see today).
  for (const auto& [key, value] : body.items()) {
    if (key != "instrument" && key != "items") return InvalidArgument(key, "is not a known field");
  }
  auto instrument = body.find("instrument");
  if (instrument == body.end() || !instrument->is_string()) {
    return InvalidArgument("instrument", "must be cadss or bprs");
  }
  auto list = body.find("items");
  if (list == body.end() || !list->is_array()) {
    return InvalidArgument("items", "must be an array of item scores");
  }
  SessionScoreRequest req;
  req.instrument = instrument->get<std::string>();
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& x = (*list)[i];
    if (x.is_null()) {
      req.items.emplace_back();
    } else if (x.is_number_integer()) {
      req.items.emplace_back(x.get<int>());
    } else {
      return InvalidArgument("item_" + std::to_string(i + 1), "must be a whole number or null");
    }
  }
  return req;
}

Result<DoseDrawRequest> DecodeDoseDrawRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  KC_ASSIGN_OR_RETURN(auto lot, r.RequiredString("lot_id"));
  KC_ASSIGN_OR_RETURN(auto amount, r.Number("amount_mg"));
  KC_ASSIGN_OR_RETURN(auto reason, r.String("reason"));
  KC_RETURN_IF_ERROR(r.Finish());
  if (!amount) return InvalidArgument("amount_mg", "is required");
  return DoseDrawRequest{std::move(lot), Milligrams(*amount), reason.value_or("")};
}

Result<DoseWasteRequest> DecodeDoseWasteRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  KC_ASSIGN_OR_RETURN(auto amount, r.Number("amount_mg"));
  KC_ASSIGN_OR_RETURN(auto user, r.String("witness_username"));
  KC_ASSIGN_OR_RETURN(auto password, r.String("witness_password"));
  KC_ASSIGN_OR_RETURN(auto code, r.String("witness_code"));
  KC_RETURN_IF_ERROR(r.Finish());
  if (!amount) return InvalidArgument("amount_mg", "is required");
  return DoseWasteRequest{Milligrams(*amount), user.value_or(""), password.value_or(""),
                          code.value_or("")};
}

Result<int> DecodeDeviceRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  KC_ASSIGN_OR_RETURN(auto mg, IntField(r, "mg", 0, 1000));
  KC_RETURN_IF_ERROR(r.Finish());
  if (!mg) return InvalidArgument("mg", "is required (28)");
  return *mg;
}

Result<std::map<std::string, bool>> DecodeDischargeRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  std::map<std::string, bool> items;
  for (const char* key : {"alert_oriented", "walks_safely", "vitals_near_baseline",
                          "nausea_controlled", "escort_present", "sedation_resolved",
                          "dissociation_resolved", "respiratory_depression_resolved"}) {
    KC_ASSIGN_OR_RETURN(auto ticked, r.Bool(key));
    if (ticked) items[key] = *ticked;
  }
  KC_RETURN_IF_ERROR(r.Finish());
  return items;
}

Result<ses::RemsEntry> DecodeRemsRequest(const nlohmann::json& body) {
  ObjectReader r(body, "");
  ses::RemsEntry e;
  KC_ASSIGN_OR_RETURN(auto concomitant, r.Object("concomitant"));
  if (concomitant) {
    KC_ASSIGN_OR_RETURN(e.benzodiazepines, concomitant->Bool("benzodiazepines"));
    KC_ASSIGN_OR_RETURN(e.sedative_hypnotics, concomitant->Bool("sedative_hypnotics"));
    KC_ASSIGN_OR_RETURN(e.stimulants, concomitant->Bool("stimulants"));
    KC_ASSIGN_OR_RETURN(e.maois, concomitant->Bool("maois"));
    KC_ASSIGN_OR_RETURN(e.opioids, concomitant->Bool("opioids"));
    KC_RETURN_IF_ERROR(concomitant->Finish());
  }
  KC_ASSIGN_OR_RETURN(auto clinician, r.Object("monitoring_clinician"));
  if (clinician) {
    KC_ASSIGN_OR_RETURN(e.clinician_name, clinician->String("name"));
    KC_ASSIGN_OR_RETURN(e.clinician_phone, clinician->String("phone"));
    KC_RETURN_IF_ERROR(clinician->Finish());
  }
  KC_ASSIGN_OR_RETURN(e.setting, r.String("setting"));
  KC_ASSIGN_OR_RETURN(e.lot_number, r.String("lot_number"));
  KC_ASSIGN_OR_RETURN(e.ready_to_leave_at, TsField(r, "ready_to_leave_at"));
  KC_RETURN_IF_ERROR(r.Finish());
  for (const auto* text : {&e.clinician_name, &e.clinician_phone, &e.setting, &e.lot_number}) {
    if (*text && (*text)->size() > 500) {
      return InvalidArgument("body", "texts are at most 500 characters");
    }
  }
  return e;
}

}  // namespace kclinic::codec
