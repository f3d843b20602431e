// SOCI repository of resources and bookings (issue 6).
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

class SociSchedule final : public domain::ScheduleRepository {
 public:
  explicit SociSchedule(soci::session& sql) : sql_(sql) {}

 private:
  [[maybe_unused]] soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::ScheduleRepository> MakeScheduleRepository(soci::session& sql) {
  return std::make_unique<SociSchedule>(sql);
}

}  // namespace kclinic::store
