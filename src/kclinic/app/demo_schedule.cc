// The demo clinic's resources and bookings (issue 6): America/New_York, Mon-Fri 08:00-18:00,
// weekends closed, US holidays, four chairs, two nurses qualified for IV ketamine and esketamine
// on shift for the past week and the next four, and the planned sessions of the patients in
// treatment booked into free chair and nurse time (so the calendar, the worklist and the
// utilisation have something to show). Synthetic and deterministic apart from the clock.
//
// The approved patient without bookings, for the browser test that books a series: the first
// candidate after the patients in treatment (patients[in_treatment], whose intake is clean; the
// two after her stay undecided: a hard stop and an unfinished checklist) is approved here and
// never booked.
#include "kclinic/app/demo_schedule.h"

#include <algorithm>

#include "kclinic/base/crypto.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/codec/scale_json.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::app {

using namespace std::chrono;
namespace sched = domain::schedule;

namespace {

constexpr const char* kTimeZone = "America/New_York";
constexpr const char* kNurses[] = {"nurse.okafor", "nurse.lindqvist"};

// The n-th (1-based) `wd` of a month.
sys_days NthWeekday(year y, month m, weekday wd, unsigned n) {
  return sys_days(year_month_weekday(y, m, wd[n]));
}

}  // namespace

Status SeedDemoSchedule(const Env& env, domain::Transaction& tx,
                        const std::vector<domain::Patient>& patients, Timestamp now) {
  auto& repo = tx.schedule();
  KC_RETURN_IF_ERROR(repo.SetConfig({kTimeZone, domain::kSlotUnitMinutes}));
  std::vector<domain::OpeningHours> week;
  for (int wd = 1; wd <= 5; ++wd) week.push_back({wd, "08:00", "18:00"});
  KC_RETURN_IF_ERROR(repo.ReplaceHours(week));
  KC_ASSIGN_OR_RETURN(auto local_now, sched::UtcToLocal(kTimeZone, now));
  const sys_days today = sys_days(local_now.date);
  const year this_year = local_now.date.year();

  sched::Clinic clinic;
  clinic.time_zone = kTimeZone;
  for (int wd = 1; wd <= 5; ++wd) {
    clinic.hours[static_cast<size_t>(wd)] = sched::OpeningHours{minutes(8 * 60), minutes(18 * 60)};
  }
  // US federal holidays the clinic closes on (this year's and next New Year's Day).
  struct Named {
    sys_days day;
    const char* name;
  };
  const Named holidays[] = {
      {NthWeekday(this_year, November, Thursday, 4), "Thanksgiving Day"},
      {sys_days(this_year / December / 25), "Christmas Day"},
      {sys_days((this_year + years(1)) / January / 1), "New Year's Day"},
  };
  for (const auto& h : holidays) {
    KC_RETURN_IF_ERROR(repo.InsertHoliday({FormatDate(year_month_day(h.day)), h.name}));
    clinic.holidays.push_back(year_month_day(h.day));
  }
  for (int i = 1; i <= 4; ++i) {
    domain::Chair c{NewId(), "Chair " + std::to_string(i)};
    KC_RETURN_IF_ERROR(repo.InsertChair(c, now));
    clinic.chairs.push_back({c.id, c.name});
  }
  for (const char* nurse : kNurses) {
    KC_RETURN_IF_ERROR(repo.SetQualifications(nurse, {"esketamine", "iv"}));
  }
  // Shifts: okafor 08:00-18:00 every open day; lindqvist 08:00-18:00 Monday to Thursday and
  // 08:00-14:00 on Fridays; from a week back (this week's utilisation) to four weeks ahead.
  for (sys_days d = today - days(7); d < today + days(29); d += days(1)) {
    const unsigned wd = weekday(d).c_encoding();
    const year_month_day date(d);
    if (wd == 0 || wd == 6) continue;
    if (std::find(clinic.holidays.begin(), clinic.holidays.end(), date) != clinic.holidays.end()) {
      continue;
    }
    for (const char* nurse : kNurses) {
      const bool short_day = std::string(nurse) == "nurse.lindqvist" && wd == 5;
      domain::StaffShift s{NewId(), nurse, FormatDate(date), "08:00",
                           short_day ? "14:00" : "18:00"};
      KC_RETURN_IF_ERROR(repo.InsertShift(s));
      clinic.shifts.push_back({nurse,
                               {"esketamine", "iv"},
                               date,
                               minutes(8 * 60),
                               short_day ? minutes(14 * 60) : minutes(18 * 60)});
    }
  }
  KC_ASSIGN_OR_RETURN(auto capacity, sched::CapacityIndex::Build(clinic));

  // Book every planned session of the patients in treatment from now on: on its day when a chair
  // and nurse are free, else the next open day; the course's session moves to the booked time.
  KC_ASSIGN_OR_RETURN(auto types, repo.AppointmentTypes());
  auto type_of = [&](const std::string& id) {
    for (const auto& t : types) {
      if (t.id == id) return t;
    }
    return domain::AppointmentType{id, id, 120, "iv"};
  };
  const auto iv = type_of("iv-infusion");
  KC_ASSIGN_OR_RETURN(auto in_treatment, tx.care().PatientsInTreatment());
  std::optional<PatientId> review_patient;
  int booked = 0;
  for (const auto& id : in_treatment) {
    KC_ASSIGN_OR_RETURN(auto courses, tx.care().Courses(id));
    KC_ASSIGN_OR_RETURN(auto sessions, tx.care().Sessions(id));
    if (courses.empty()) continue;
    const domain::Course& course = courses.back();
    if (!review_patient && course.phase == domain::CoursePhase::kMaintenance &&
        id != patients.front().id) {
      review_patient = id;
    }
    const std::string series_id = NewId();
    // Alternate preferred morning and afternoon starts so the chairs fill across the day.
    const minutes preferred = (booked % 2 == 0) ? minutes(9 * 60) : minutes(13 * 60);
    for (const auto& s : sessions) {
      if (s.status != domain::CourseSessionStatus::kPlanned || s.at < now) continue;
      auto local = sched::UtcToLocal(kTimeZone, s.at);
      if (!local.ok()) continue;
      std::optional<sched::PlannedSession> slot;
      for (int ahead = 0; ahead < 14 && !slot; ++ahead) {
        const year_month_day date(sys_days(local->date) + days(ahead));
        auto free = capacity.FreeSlotsOn(date, Minutes(iv.minutes), iv.qualification);
        std::sort(free.begin(), free.end(), [&](const auto& a, const auto& b) {
          return std::chrono::abs(a.time - preferred) < std::chrono::abs(b.time - preferred);
        });
        for (const auto& f : free) {
          if (f.start >= now) {
            slot = f;
            break;
          }
        }
      }
      if (!slot) continue;
      domain::Appointment a;
      a.id = NewId();
      a.patient_id = id;
      a.type_id = iv.id;
      a.chair_id = slot->chair_id;
      a.nurse = slot->nurse;
      a.start = slot->start;
      a.end = slot->end;
      a.series_id = course.phase == domain::CoursePhase::kInduction
                        ? std::optional<std::string>(series_id)
                        : std::nullopt;
      a.course_session_id = s.id;
      a.created_by = "desk.miller";
      a.created_at = now;
      KC_RETURN_IF_ERROR(repo.InsertAppointment(a));
      KC_RETURN_IF_ERROR(
          tx.care().UpdateSession(s.id, a.start, domain::CourseSessionStatus::kPlanned));
      capacity.Add(sched::BusyInterval{a.chair_id, a.nurse, a.start, a.end});
      ++booked;
    }
  }

  // An approved patient without bookings (see the top of this file).
  const size_t first_candidate =
      std::min(patients.size(), std::max<size_t>(4, patients.size() / 5));  // as SeedDemoCare
  if (first_candidate < patients.size()) {
    const auto& p = patients[first_candidate];
    auto intake = tx.screening().LatestIntake(p.id);
    if (intake.ok()) {
      KC_ASSIGN_OR_RETURN(auto parsed, codec::IntakeFromText(intake->body));
      auto result = domain::screening::Screen(parsed, domain::SiteSettings());
      domain::ScreeningDecisionRecord d{NewId(),
                                        p.id,
                                        intake->id,
                                        domain::ScreeningDecision::kApprove,
                                        "TRD after three adequate trials; no contraindication",
                                        std::to_string(result.rules_version),
                                        result.settings_version,
                                        codec::ScreeningResultToJson(result).dump(),
                                        now - hours(20),
                                        "dr.reyes"};
      KC_RETURN_IF_ERROR(tx.screening().InsertDecision(d));
    }
  }

  // An open portal booking request from Ana Silva (the portal login).
  if (!patients.empty()) {
    const auto monday = today + days(7) - days((weekday(today).iso_encoding() - 1));
    nlohmann::json preferred = nlohmann::json::array(
        {{{"date", FormatDate(year_month_day(monday + days(1)))}, {"part", "morning"}},
         {{"date", FormatDate(year_month_day(monday + days(3)))}, {"part", "any"}}});
    domain::BookingRequest r{NewId(),
                             patients.front().id,
                             preferred.dump(),
                             std::string("My sister can drive me on Tuesdays or Thursdays."),
                             domain::BookingRequestStatus::kOpen,
                             std::nullopt,
                             std::nullopt,
                             now - hours(5),
                             "ana.silva",
                             now - hours(5),
                             "ana.silva"};
    KC_RETURN_IF_ERROR(repo.InsertBookingRequest(r));
  }

  // An open review task: the end of an induction series awaiting the maintenance decision.
  if (review_patient) {
    KC_ASSIGN_OR_RETURN(auto courses, tx.care().Courses(*review_patient));
    for (const auto& c : courses) {
      if (c.phase != domain::CoursePhase::kMaintenance) continue;
      domain::ReviewTask t;
      t.id = NewId();
      t.patient_id = *review_patient;
      t.course_id = c.id;
      t.kind = domain::ReviewKind::kEndOfSeries;
      t.reason = "The induction series is complete (6 infusions given): decide on maintenance.";
      t.created_at = now - hours(26);
      KC_RETURN_IF_ERROR(repo.InsertReviewTask(t).status());
    }
  }
  (void)env;
  return Status::Ok();
}

}  // namespace kclinic::app
