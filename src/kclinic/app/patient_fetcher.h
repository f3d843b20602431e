// The patient fetcher: reads patient records for requests answered on the event loop, coalescing
// the reads of many requests (PostgreSQL, and SQLite on a cache miss). A request that needs a
// record the store does not hold in memory hands its id here instead of taking a worker thread
// for its whole run; a fetcher thread reads every id queued meanwhile in one read transaction,
// each distinct id once, and the request is answered on its loop with what was read.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "kclinic/base/non_blocking.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/ports.h"

namespace kclinic::app {

class PatientFetcher {
 public:
  using Done = std::function<void(Result<std::shared_ptr<const domain::Patient>>)>;

  // `store` must outlive the fetcher. Starts `threads` fetcher threads; with `held`, they take
  // nothing from the queue until Release (for tests that need a batch to form).
  PatientFetcher(domain::Store& store, size_t threads, bool held = false);
  // Fails what is still queued (Unavailable), then stops the threads.
  ~PatientFetcher();
  PatientFetcher(const PatientFetcher&) = delete;
  PatientFetcher& operator=(const PatientFetcher&) = delete;

  // Queues a read of `id`; `done` runs on a fetcher thread with the record, NotFound, or the
  // store's error. The read begins after this call, so it sees every change committed before
  // it (the guarantee a read on a worker thread gives). Thread-safe.
  void Fetch(const PatientId& id, Done done);
  void Release();
  // Returns once nothing is queued or being read and every `done` has returned. The HTTP server
  // calls it after stopping its loops, so no completion is posted to a loop it has destroyed.
  void Drain();

  uint64_t fetches() const;  // Fetch calls completed
  uint64_t reads() const;    // records read from the store for them (one per distinct id a batch)
  uint64_t batches() const;  // read transactions

 private:
  struct Item {
    PatientId id;
    Done done;
  };
  void Run();

  domain::Store& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::condition_variable drained_cv_;
  bool held_;
  bool stopping_ = false;
  int busy_ = 0;  // batches taken and not yet completed
  uint64_t fetches_ = 0;
  uint64_t reads_ = 0;
  uint64_t batches_ = 0;
  std::vector<std::thread> threads_;
};

// While a NonBlockingScope is alive on a thread, the thread is marked as one that must not wait
// (base/non_blocking.h): the store's Begin on that thread fails at once (Unavailable) instead of
// waiting for a database connection or the disk, and the scope records that it did. The HTTP
// server answers a request on its event loop inside one when everything the request needs may
// already be in memory (a cached session and patient), and when the scope was refused it either
// fetches the one patient record the attempt wanted and tries again with it (wanted_patient; the
// PatientFetcher above), or runs the request on the worker pool. Scopes do not nest.
class NonBlockingScope {
 public:
  // `fetched`: a record read for this attempt after the request arrived, which
  // FetchedOrWant hands out in place of a database read.
  explicit NonBlockingScope(std::shared_ptr<const domain::Patient> fetched = nullptr);
  ~NonBlockingScope();
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;

  // True once something on this thread needed the database while the scope was alive.
  bool refused() const { return refused_; }
  // The patient whose record was the first thing the attempt needed from the database, if it
  // was (FetchedOrWant before any other refusal).
  const std::optional<PatientId>& wanted_patient() const { return wanted_; }
  // True (and the scope marked refused) when a scope is alive on this thread.
  static bool Refuse();
  // True when a scope is alive on this thread and has been refused: whatever the attempt does
  // from here on is thrown away, so it need not build an answer or an audit event.
  static bool Refused();
  // For the patient read: the scope's fetched record when it is `id`'s. Otherwise null; inside
  // a scope, the scope is then refused and notes `id` as wanted if nothing was refused before.
  static std::shared_ptr<const domain::Patient> FetchedOrWant(const PatientId& id);
  // True when a scope is alive on this thread, not refused, and was given no fetched record:
  // the first attempt at a request, which may answer from a record to be confirmed
  // (Store::RecentPatient).
  static bool FirstAttempt();

 private:
  bool refused_ = false;
  std::optional<PatientId> wanted_;
  std::shared_ptr<const domain::Patient> fetched_;
  NonBlockingThreadMark mark_{&refused_};
};

}  // namespace kclinic::app
