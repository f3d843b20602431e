#include "kclinic/domain/patient.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kclinic::domain {
namespace {

using namespace std::chrono;

constexpr year_month_day kToday = 2026y / November / 21;

PatientFields Valid() {
  PatientFields f;
  f.name = {"Ana", "Silva"};
  f.birth_date = 1984y / March / 2;
  f.sex = Sex::kFemale;
  f.contact = {"+1 (555) 010-0100", "ana@example.org", "1 Main St\nSpringfield"};
  f.height_cm = Centimeters(165);
  f.allergies = {"latex"};
  f.escort = {"Sam Silva", "+1 555 0101", "partner"};
  return f;
}

struct Case {
  const char* name;
  void (*mutate)(PatientFields&);
  const char* field;  // "" for valid
};

const Case kCases[] = {
    {"valid", [](PatientFields&) {}, ""},
    {"empty given", [](PatientFields& f) { f.name.given = ""; }, "name.given"},
    {"empty family", [](PatientFields& f) { f.name.family = ""; }, "name.family"},
    {"long family", [](PatientFields& f) { f.name.family = std::string(101, 'x'); }, "name.family"},
    {"100 accented letters fit",
     [](PatientFields& f) {
       f.name.family.clear();
       for (int i = 0; i < 100; ++i) f.name.family += "é";
     },
     ""},
    {"control char", [](PatientFields& f) { f.name.given = "A\x01"; }, "name.given"},
    {"future birth", [](PatientFields& f) { f.birth_date = 2026y / November / 22; }, "birth_date"},
    {"born today", [](PatientFields& f) { f.birth_date = kToday; }, ""},
    {"before 1900", [](PatientFields& f) { f.birth_date = 1899y / December / 31; }, "birth_date"},
    {"invalid date", [](PatientFields& f) { f.birth_date = 2023y / February / 29; }, "birth_date"},
    {"phone letters", [](PatientFields& f) { f.contact.phone = "555-CALL"; }, "contact.phone"},
    {"phone too few digits", [](PatientFields& f) { f.contact.phone = "+1"; }, "contact.phone"},
    {"empty phone ok", [](PatientFields& f) { f.contact.phone = ""; }, ""},
    {"email no at", [](PatientFields& f) { f.contact.email = "ana.example.org"; }, "contact.email"},
    {"email two at", [](PatientFields& f) { f.contact.email = "a@b@example.org"; },
     "contact.email"},
    {"email no dot", [](PatientFields& f) { f.contact.email = "ana@localhost"; }, "contact.email"},
    {"address newline ok", [](PatientFields& f) { f.contact.address = "a\nb"; }, ""},
    {"height low edge", [](PatientFields& f) { f.height_cm = Centimeters(30); }, ""},
    {"height below", [](PatientFields& f) { f.height_cm = Centimeters(29.9); }, "height_cm"},
    {"height high edge", [](PatientFields& f) { f.height_cm = Centimeters(272); }, ""},
    {"height above", [](PatientFields& f) { f.height_cm = Centimeters(272.1); }, "height_cm"},
    {"height NaN", [](PatientFields& f) { f.height_cm = Centimeters(std::nan("")); }, "height_cm"},
    {"no height ok", [](PatientFields& f) { f.height_cm.reset(); }, ""},
    {"too many allergies", [](PatientFields& f) { f.allergies.assign(51, "x"); }, "allergies"},
    {"empty allergy",
     [](PatientFields& f) {
       f.allergies = {"latex", ""};
     },
     "allergies.1"},
    {"escort phone without name",
     [](PatientFields& f) {
       f.escort = {"", "+1 555 0101", ""};
     },
     "escort.name"},
    {"emergency bad phone",
     [](PatientFields& f) {
       f.emergency_contact = {"Jo", "x", ""};
     },
     "emergency_contact.phone"},
};

TEST(ValidatePatientFields, TableOfEdges) {
  for (const Case& c : kCases) {
    PatientFields f = Valid();
    c.mutate(f);
    Status s = ValidatePatientFields(f, kToday);
    if (std::string(c.field).empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.field() << " " << s.message();
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
      EXPECT_EQ(s.field(), c.field) << c.name;
      EXPECT_FALSE(s.message().empty()) << c.name;
    }
  }
}

TEST(NormalizeFields, TrimsAndDropsEmptyAndDuplicateAllergies) {
  PatientFields f = Valid();
  f.name.given = "  Ana ";
  f.allergies = {" latex ", "", "latex", "penicillin"};
  PatientFields n = NormalizeFields(f);
  EXPECT_EQ(n.name.given, "Ana");
  EXPECT_EQ(n.allergies, (std::vector<std::string>{"latex", "penicillin"}));
}

TEST(ApplyPatch, ChangesOnlyWhatIsPresent) {
  PatientFields f = Valid();
  PatientPatch p;
  p.phone = "+1 555 0199";
  p.escort_name = "Lee";
  p.height_cm = std::optional<Centimeters>();  // clear
  PatientFields out = ApplyPatch(f, p);
  EXPECT_EQ(out.contact.phone, "+1 555 0199");
  EXPECT_EQ(out.contact.email, f.contact.email);
  EXPECT_EQ(out.escort.name, "Lee");
  EXPECT_EQ(out.escort.phone, f.escort.phone);
  EXPECT_FALSE(out.height_cm.has_value());
  EXPECT_EQ(out.name, f.name);
}

TEST(ValidateWeight, BoundsAndDates) {
  const year_month_day birth = 1984y / March / 2;
  EXPECT_TRUE(ValidateWeight(Kilograms(70), 2026y / November / 1, birth, kToday).ok());
  EXPECT_TRUE(ValidateWeight(Kilograms(0.5), kToday, birth, kToday).ok());
  EXPECT_EQ(ValidateWeight(Kilograms(0.49), kToday, birth, kToday).field(), "weight.kg");
  EXPECT_EQ(ValidateWeight(Kilograms(650.1), kToday, birth, kToday).field(), "weight.kg");
  EXPECT_EQ(ValidateWeight(Kilograms(70), 2026y / November / 22, birth, kToday).field(),
            "weight.date");
  EXPECT_EQ(ValidateWeight(Kilograms(70), 1984y / March / 1, birth, kToday, "").field(), "date");
}

TEST(Sex, CodesRoundTripAndUnknownIsRejected) {
  for (Sex s : {Sex::kFemale, Sex::kMale, Sex::kOther, Sex::kUnknown}) {
    EXPECT_EQ(ParseSex(SexCode(s)), s);
  }
  EXPECT_FALSE(ParseSex("F").has_value());
}

}  // namespace
}  // namespace kclinic::domain
