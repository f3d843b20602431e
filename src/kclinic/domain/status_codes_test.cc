// Every status and phase enum has one code per value, and the code parses back (issue 20: the
// codes exist only at the codec boundary, so a value without one would be stored or shown as "").
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "kclinic/domain/records.h"
#include "kclinic/domain/schedule/ports.h"

namespace kclinic::domain {
namespace {

template <CodedEnum E>
void ExpectCodesRoundTrip(int values) {
  std::set<std::string_view> seen;
  for (int i = 0; i < values; ++i) {
    const E e = static_cast<E>(i);
    const std::string_view code = Code(e);
    EXPECT_FALSE(code.empty()) << i;
    EXPECT_TRUE(seen.insert(code).second) << code;
    EXPECT_EQ(ParseCode<E>(code), e) << code;
  }
  EXPECT_EQ(std::size(EnumCodes<E>::kRows), static_cast<size_t>(values));
  EXPECT_EQ(ParseCode<E>("no such code"), std::nullopt);
  EXPECT_EQ(ParseCode<E>(""), std::nullopt);
}

TEST(StatusCodesTest, EveryValueHasOneCodeThatParsesBack) {
  ExpectCodesRoundTrip<CoursePhase>(3);
  ExpectCodesRoundTrip<CourseSessionStatus>(3);
  ExpectCodesRoundTrip<ScreeningDecision>(3);
  ExpectCodesRoundTrip<AppointmentStatus>(3);
  ExpectCodesRoundTrip<BookingRequestStatus>(4);
  ExpectCodesRoundTrip<ReviewKind>(2);
  ExpectCodesRoundTrip<ReviewStatus>(2);
}

TEST(StatusCodesTest, TheStoredCodesAreTheSchemasAndTheApis) {
  EXPECT_EQ(Code(CourseSessionStatus::kGiven), "given");
  EXPECT_EQ(Code(CoursePhase::kMaintenance), "maintenance");
  EXPECT_EQ(Code(ScreeningDecision::kOverride), "override");
  EXPECT_EQ(Code(AppointmentStatus::kMoved), "moved");
  EXPECT_EQ(Code(BookingRequestStatus::kProposed), "proposed");
  EXPECT_EQ(Code(ReviewKind::kEarlyNonResponse), "early_non_response");
  EXPECT_EQ(Code(ReviewStatus::kCompleted), "completed");
  EXPECT_EQ(CodeList<BookingRequestStatus>(), "open, accepted, proposed or declined");
  EXPECT_FALSE(InProgress(CoursePhase::kEnded));
  EXPECT_TRUE(InProgress(CoursePhase::kInduction));
  EXPECT_TRUE(InProgress(CoursePhase::kMaintenance));
}

TEST(ActiveCourse, IsTheNewestCourseStillInProgress) {
  EXPECT_EQ(ActiveCourse({}), nullptr);
  std::vector<Course> courses(3);
  courses[0].id = "first";
  courses[0].phase = CoursePhase::kMaintenance;
  courses[1].id = "second";
  courses[1].phase = CoursePhase::kInduction;
  courses[2].id = "third";
  courses[2].phase = CoursePhase::kEnded;
  ASSERT_NE(ActiveCourse(courses), nullptr);
  EXPECT_EQ(ActiveCourse(courses)->id, "second");
  courses[1].phase = CoursePhase::kEnded;
  EXPECT_EQ(ActiveCourse(courses)->id, "first");
  courses[0].phase = CoursePhase::kEnded;
  EXPECT_EQ(ActiveCourse(courses), nullptr);
}

}  // namespace
}  // namespace kclinic::domain
