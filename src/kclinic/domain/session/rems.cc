#include "kclinic/domain/session/rems.h"

#include "kclinic/domain/session/session_settings.h"

namespace kclinic::domain::session {

RemsForm BuildRemsForm(const Session& s, const PersonName& name,
                       std::chrono::year_month_day birth_date, bool first_treatment,
                       const RemsEntry& prefill, std::chrono::year_month_day today,
                       const SiteSettings& settings) {
  RemsForm f;
  f.patient_name = name.given + " " + name.family;
  f.birth_date = birth_date;
  f.first_treatment = first_treatment;
  f.session_date = DateOf(s.record().scheduled_at);
  if (!s.Devices().empty()) {
    int mg = 0;
    for (const auto& d : s.Devices()) mg += d.mg;
    f.dose_mg = mg;
    f.first_device_at = s.Devices().front().at;
  }
  // The end of monitoring is the discharge: the REMS form asks for the total time from the first
  // device to the end of monitoring (at least 2 h, CLINICAL.md §4).
  if (auto d = s.DischargedAt(); d && f.first_device_at) {
    f.monitoring_end_at = *d;
    f.total_monitoring_min = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(*d - *f.first_device_at).count());
  }
  const EsketamineBpChecks bp = s.BpChecks(settings);
  f.bp_before = bp.before_dosing;
  f.bp_40_min = bp.at_40_min;
  f.bp_end = bp.at_end;
  // "Acceptable" before dosing: below the deferral limits (session.defer_*); at the end: below
  // the during-infusion alert limits (session.alert_*) and the discharge checklist held.
  if (bp.before_dosing) {
    f.vitals_acceptable_before = bp.before_dosing->sbp < settings.Get(kDeferSbpMmHg) &&
                                 bp.before_dosing->dbp < settings.Get(kDeferDbpMmHg);
  }
  if (bp.at_end && s.DischargeInfo()) {
    f.vitals_acceptable_end = bp.at_end->sbp < settings.Get(kAlertSbpMmHg) &&
                              bp.at_end->dbp < settings.Get(kAlertDbpMmHg);
  }
  if (s.DischargeInfo()) {
    f.sedation_observed = s.HasEffect("sedation");
    f.dissociation_observed = s.HasEffect("dissociation");
    f.respiratory_depression_observed = s.HasEffect("respiratory_depression");
  }
  f.entry = s.Rems();
  auto fill = [](auto& dst, const auto& src) {
    if (!dst) dst = src;
  };
  fill(f.entry.benzodiazepines, prefill.benzodiazepines);
  fill(f.entry.sedative_hypnotics, prefill.sedative_hypnotics);
  fill(f.entry.stimulants, prefill.stimulants);
  fill(f.entry.maois, prefill.maois);
  fill(f.entry.opioids, prefill.opioids);
  fill(f.entry.clinician_name, prefill.clinician_name);
  fill(f.entry.clinician_phone, prefill.clinician_phone);
  fill(f.entry.setting, prefill.setting);
  fill(f.entry.lot_number, prefill.lot_number);
  fill(f.entry.ready_to_leave_at, prefill.ready_to_leave_at);

  auto need = [&](bool present, const char* field) {
    if (!present) f.missing.emplace_back(field);
  };
  need(!f.patient_name.empty(), "patient_name");
  need(f.first_treatment.has_value(), "first_treatment");
  need(f.entry.benzodiazepines.has_value(), "concomitant.benzodiazepines");
  need(f.entry.sedative_hypnotics.has_value(), "concomitant.sedative_hypnotics");
  need(f.entry.stimulants.has_value(), "concomitant.stimulants");
  need(f.entry.maois.has_value(), "concomitant.maois");
  need(f.entry.opioids.has_value(), "concomitant.opioids");
  need(f.entry.clinician_name && !f.entry.clinician_name->empty(), "monitoring_clinician.name");
  need(f.entry.clinician_phone && !f.entry.clinician_phone->empty(), "monitoring_clinician.phone");
  need(f.entry.setting && !f.entry.setting->empty(), "setting");
  need(f.dose_mg.has_value(), "dose_mg");
  need(f.entry.lot_number && !f.entry.lot_number->empty(), "lot_number");
  need(f.first_device_at.has_value(), "first_device_at");
  need(f.monitoring_end_at.has_value(), "monitoring_end_at");
  need(f.total_monitoring_min.has_value(), "total_monitoring_min");
  need(f.entry.ready_to_leave_at.has_value(), "ready_to_leave_at");
  need(f.vitals_acceptable_before.has_value(), "vitals_acceptable_before");
  need(f.vitals_acceptable_end.has_value(), "vitals_acceptable_end");
  need(f.bp_before.has_value(), "bp_before");
  need(f.bp_40_min.has_value(), "bp_40_min");
  need(f.bp_end.has_value(), "bp_end");
  need(f.sedation_observed.has_value(), "sedation_observed");
  need(f.dissociation_observed.has_value(), "dissociation_observed");
  need(f.respiratory_depression_observed.has_value(), "respiratory_depression_observed");

  // CLINICAL.md §4: due within 7 days of every session (rems.submission_days).
  f.due_date = std::chrono::sys_days(f.session_date) +
               std::chrono::days(static_cast<int>(settings.Get(kRemsSubmissionDays)));
  if (s.RemsCompleted()) {
    f.complete = true;
    f.completed_at = s.RemsCompleted()->at;
    f.completed_by = s.RemsCompleted()->by;
  }
  f.overdue = !f.complete && std::chrono::sys_days(today) > std::chrono::sys_days(f.due_date);
  return f;
}

}  // namespace kclinic::domain::session
