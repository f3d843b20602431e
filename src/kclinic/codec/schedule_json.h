// Protocols, clinics, series plans and booster proposals as JSON (API and CLI), and the strict
// readers of their requests. Instants are ISO UTC ("2026-11-23T14:00:00.000000Z"), local dates
// "YYYY-MM-DD", local times "HH:MM".
#pragma once

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/domain/schedule/booster.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic::codec {

// {"id", "name", "kind", "sessions", "per_week_min", "per_week_max", "min_gap_days",
//  "window_days", "appointment_minutes", "required_qualification",
//  "stages": [{"weeks", "interval_days"}], "open_ended_sessions", "citation"}
nlohmann::ordered_json ProtocolToJson(const domain::schedule::Protocol& p);
// Reads the object above (id, name, kind, appointment_minutes, required_qualification required;
// the rest default as in Protocol) and validates it; InvalidArgument naming the field.
Result<domain::schedule::Protocol> ProtocolFromJson(const nlohmann::json& body);

// {"time_zone", "slot_minutes", "hours": {"mon": {"open": "08:00", "close": "18:00"} | null, ...},
//  "holidays": ["YYYY-MM-DD"], "chairs": [{"id", "name"}], "shifts": [{"username",
//  "qualifications", "date", "start", "end"}], "busy": [{"chair_id", "staff", "start", "end"}]}
nlohmann::ordered_json ClinicToJson(const domain::schedule::Clinic& c);
Result<domain::schedule::Clinic> ClinicFromJson(const nlohmann::json& body);

// {"number", "date", "time", "start", "end", "chair_id", "nurse"}
nlohmann::ordered_json PlannedSessionToJson(const domain::schedule::PlannedSession& s);
// {"protocol_id", "sessions": [...], "bent": [...]}
nlohmann::ordered_json SeriesPlanToJson(const domain::schedule::SeriesPlan& plan);

// Reads {"infusions": ["YYYY-MM-DD", ...], "phq9": [{"date", "score"}], "induction_sessions"?}.
Result<domain::schedule::BoosterHistory> BoosterHistoryFromJson(const nlohmann::json& body);
// {"next_booster_date", "interval_days", "reason", "rule", "method", "threshold",
//  "post_induction_score", "estimate_days", "predicted_relapse_date",
//  "durations": [{"infusion_date", "benefit_days" (or null), "censored", "observed_days"}]}
nlohmann::ordered_json BoosterProposalToJson(const domain::schedule::BoosterProposal& p);

}  // namespace kclinic::codec
