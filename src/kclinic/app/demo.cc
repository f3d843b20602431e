#include "kclinic/app/demo.h"

#include <random>

#include "kclinic/app/demo_care.h"
#include "kclinic/app/demo_ledger.h"
#include "kclinic/app/demo_schedule.h"
#include "kclinic/app/demo_sessions.h"
#include "kclinic/base/crypto.h"

namespace kclinic::app {

using namespace std::chrono;

namespace {

// Synthetic names only: no real person's data ever enters the demo.
const char* const kGiven[] = {"Ana",   "Ben",  "Carla", "Dev",   "Elif",  "Farah", "Gabe", "Hana",
                              "Ivan",  "Jun",  "Kira",  "Luis",  "Maya",  "Nadia", "Omar", "Priya",
                              "Quinn", "Rosa", "Sami",  "Tess",  "Umar",  "Vera",  "Wen",  "Ximena",
                              "Yusuf", "Zoe",  "Amara", "Bruno", "Chloe", "Dario", "Esme", "Felix",
                              "Greta", "Hugo", "Ines",  "Jonah", "Keiko", "Leo",   "Mira", "Nico"};
const char* const kFamily[] = {"Silva",   "Okafor", "Nguyen", "Kowalski", "Haddad",  "Lindqvist",
                               "Moreau",  "Tanaka", "Reyes",  "Osei",     "Petrov",  "Ibrahim",
                               "Fischer", "Novak",  "Ortega", "Kaur",     "Brennan", "Dubois",
                               "Mensah",  "Sato",   "Varga",  "Quispe",   "Larsen",  "Costa",
                               "Abbasi",  "Romero", "Jensen", "Achebe",   "Bianchi", "Yilmaz"};
const char* const kAllergies[] = {"penicillin", "sulfonamides", "latex",
                                  "codeine",    "peanuts",      "iodinated contrast"};
const char* const kRelations[] = {"spouse",  "partner", "parent",
                                  "sibling", "friend",  "adult child"};

constexpr std::string_view kDemoPassword = "kclinic-demo";

}  // namespace

Result<std::vector<DemoLogin>> SeedDemo(const Env& env, int patient_count) {
  {
    KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
    KC_ASSIGN_OR_RETURN(int64_t users, tx->users().Count());
    if (users > 0) return std::vector<DemoLogin>{};
  }
  const Timestamp now = env.clock.Now();
  const year_month_day today = DateOf(now);
  std::mt19937 rng(20261121);  // fixed seed: every demo clinic looks the same
  auto pick = [&](auto& array) {
    return array[std::uniform_int_distribution<size_t>(0, std::size(array) - 1)(rng)];
  };
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };

  std::vector<domain::Patient> patients;
  for (int i = 0; i < patient_count; ++i) {
    domain::Patient p;
    p.id = PatientId(NewId());
    p.version = 1;
    auto& f = p.fields;
    f.name = i == 0 ? domain::PersonName{"Ana", "Silva"}
                    : domain::PersonName{pick(kGiven), pick(kFamily)};
    bool female = i == 0 || uniform(0, 1) < 0.6;  // TRD trials enrol more women (CLINICAL.md §6)
    f.sex = female ? domain::Sex::kFemale : domain::Sex::kMale;
    int age = i == 0 ? 42 : static_cast<int>(uniform(19, 78));
    f.birth_date =
        year_month_day(sys_days(today) - days(age * 365 + static_cast<int>(uniform(0, 364))));
    char phone[32];
    std::snprintf(phone, sizeof phone, "+1 555 01%02d %04d", i % 100, 1000 + i);
    f.contact.phone = phone;
    f.contact.email = domain::NameKey(f.name.given) + "." + domain::NameKey(f.name.family) +
                      std::to_string(i) + "@example.org";
    f.contact.address = std::to_string(10 + i) + " Demo Street, Springfield";
    f.height_cm = Centimeters(std::round(female ? uniform(152, 178) : uniform(163, 192)));
    if (uniform(0, 1) < 0.25) f.allergies.push_back(pick(kAllergies));
    f.emergency_contact = {std::string(pick(kGiven)) + " " + f.name.family,
                           "+1 555 0199 " + std::to_string(2000 + i), pick(kRelations)};
    if (uniform(0, 1) < 0.8) f.escort = f.emergency_contact;
    p.created_at = p.updated_at = now;
    double kg = std::round(uniform(52, 115) * 10) / 10;
    for (int w = 0; w < 3; ++w) {
      p.weights.push_back({WeightId(NewId()), year_month_day(sys_days(today) - days(30 * w + 1)),
                           Kilograms(std::round((kg + w * 0.4) * 10) / 10), now, "desk.miller"});
    }
    KC_RETURN_IF_ERROR(domain::ValidatePatientFields(f, today));
    patients.push_back(std::move(p));
  }

  struct Account {
    const char* username;
    domain::Role role;
  };
  const Account accounts[] = {
      {"admin", domain::Role::kAdmin},           {"dr.reyes", domain::Role::kPrescriber},
      {"dr.tanaka", domain::Role::kPrescriber},  {"nurse.okafor", domain::Role::kNurse},
      {"nurse.lindqvist", domain::Role::kNurse}, {"desk.miller", domain::Role::kFrontDesk},
      {"ana.silva", domain::Role::kPatient}};
  KC_ASSIGN_OR_RETURN(std::string hash, HashPassword(kDemoPassword));
  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kWrite));
  for (const auto& p : patients) {
    KC_RETURN_IF_ERROR(tx->patients().Insert(p, {now, "demo", std::string("demo clinic")}));
  }
  std::vector<DemoLogin> logins;
  for (const Account& a : accounts) {
    domain::User u;
    u.id = UserId(NewId());
    u.username = a.username;
    u.role = a.role;
    u.password_hash = hash;
    if (a.role == domain::Role::kPatient) u.patient_id = patients.front().id;
    u.created_at = now;
    KC_RETURN_IF_ERROR(tx->users().Insert(u));
    logins.push_back(
        {a.username, std::string(domain::RoleName(a.role)), std::string(kDemoPassword)});
  }
  KC_RETURN_IF_ERROR(SeedDemoCare(env, *tx, patients, now));
  KC_RETURN_IF_ERROR(SeedDemoSchedule(env, *tx, patients, now));
  KC_RETURN_IF_ERROR(SeedDemoLedger(env, *tx, patients, now));  // before the session demo
  KC_RETURN_IF_ERROR(SeedDemoSessions(env, *tx, patients, now));
  std::vector<domain::AuditEvent> events{
      MakeEvent(env, nullptr, "demo.seed", "clinic", "success", "",
                "patients=" + std::to_string(patients.size()) +
                    " users=" + std::to_string(std::size(accounts)))};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return logins;
}

}  // namespace kclinic::app
