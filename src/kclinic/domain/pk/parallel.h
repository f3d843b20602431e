// Splitting work across std::thread workers: contiguous ranges, one thread each, joined before
// returning. Deterministic partitioning, so results written by index do not depend on timing.
#pragma once

#include <cstddef>
#include <thread>
#include <vector>

namespace kclinic::domain::pk {

// How many workers to use for `n` items: `requested` (0: one per hardware thread), but never so
// many that a worker gets fewer than `min_items_per_worker`; at least 1.
unsigned WorkerCount(size_t n, unsigned requested, size_t min_items_per_worker);

// Runs body(begin, end, worker) over [0, n) split into `workers` contiguous ranges, the first on
// a new thread too (the caller waits); with one worker, on the calling thread.
template <typename Body>
void ParallelFor(size_t n, unsigned workers, Body body) {
  if (workers <= 1) {
    body(size_t{0}, n, 0u);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) {
    const size_t begin = n * w / workers, end = n * (w + 1) / workers;
    threads.emplace_back([=, &body] { body(begin, end, w); });
  }
  for (auto& t : threads) t.join();
}

}  // namespace kclinic::domain::pk
