#include "kclinic/domain/pk/parallel.h"

#include <algorithm>

namespace kclinic::domain::pk {

unsigned WorkerCount(size_t n, unsigned requested, size_t min_items_per_worker) {
  const unsigned workers =
      requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  const size_t by_size = std::max<size_t>(1, n / std::max<size_t>(1, min_items_per_worker));
  return static_cast<unsigned>(std::min<size_t>(workers, by_size));
}

}  // namespace kclinic::domain::pk
