// SOCI repository of infusion and esketamine sessions (issue 5).
#include "kclinic/domain/session/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

class SociInfusion final : public domain::InfusionRepository {
 public:
  explicit SociInfusion(soci::session& sql) : sql_(sql) {}

 private:
  [[maybe_unused]] soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::InfusionRepository> MakeInfusionRepository(soci::session& sql) {
  return std::make_unique<SociInfusion>(sql);
}

}  // namespace kclinic::store
