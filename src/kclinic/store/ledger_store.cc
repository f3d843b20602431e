// SOCI repository of the controlled-substance ledger (issue 5).
#include "kclinic/domain/ledger/ports.h"
#include "kclinic/store/clinical_store.h"

namespace kclinic::store {
namespace {

class SociLedger final : public domain::LedgerRepository {
 public:
  explicit SociLedger(soci::session& sql) : sql_(sql) {}

 private:
  [[maybe_unused]] soci::session& sql_;
};

}  // namespace

std::unique_ptr<domain::LedgerRepository> MakeLedgerRepository(soci::session& sql) {
  return std::make_unique<SociLedger>(sql);
}

}  // namespace kclinic::store
