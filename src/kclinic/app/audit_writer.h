// The audit writer: one thread that group-commits the audit events of many requests, one
// transaction (one fsync) per batch instead of per event (DESIGN.md, data rules). A request that
// read patient data is answered only after its event is durable.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "kclinic/base/histogram.h"
#include "kclinic/base/status.h"
#include "kclinic/domain/ports.h"

namespace kclinic::app {

// While an AuditDeferral is alive on a thread, AuditWriter::Append/AppendAll called on that thread
// do not wait: they hand the events to the deferral, and its owner must make them durable
// (AuditWriter::SubmitAll) before acting on the result. The HTTP server uses this so that a
// request waits for its audit event without holding a worker thread, which lets many requests'
// events share one group commit. Deferrals do not nest.
class AuditDeferral {
 public:
  AuditDeferral();
  ~AuditDeferral();
  AuditDeferral(const AuditDeferral&) = delete;
  AuditDeferral& operator=(const AuditDeferral&) = delete;

  // The events collected so far (and forgets them).
  std::vector<domain::AuditEvent> Take() { return std::move(events_); }
  // The deferral installed on this thread, or null.
  static AuditDeferral* Current();

 private:
  friend class AuditWriter;
  std::vector<domain::AuditEvent> events_;
};

class AuditWriter {
 public:
  // `store` must outlive the writer. Starts the writer thread.
  explicit AuditWriter(domain::Store& store, size_t max_batch = 256);
  // Writes what is queued, then stops the thread.
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Called with the batch's outcome and the submitted events handed back, so that the thread
  // that built them can free them: freeing another thread's allocations by the hundred per
  // batch cost the writer and the loops malloc's slow paths (bench/README.md).
  using Done = std::function<void(const Status&, std::vector<domain::AuditEvent>)>;
  // Queues events that commit together; `done` runs on the writer thread once they are durable
  // (OK) or could not be stored (Unavailable/Internal). Thread-safe.
  void SubmitAll(std::vector<domain::AuditEvent> events, Done done);
  // Queues `event` and blocks until it is durable or failed. Thread-safe. Under an AuditDeferral
  // on this thread, hands the event to the deferral instead and returns OK at once.
  Status Append(domain::AuditEvent event);
  Status AppendAll(std::vector<domain::AuditEvent> events);

  // Returns once nothing is queued or being written and every `done` has returned. The HTTP
  // server calls it after stopping its loops, so no completion is posted to a loop it has
  // destroyed.
  void Drain();

  uint64_t batches_committed() const;
  uint64_t events_committed() const;
  // How long each batch took to become durable or fail: the store's append, its commit and the
  // sync to disk, retries included. Every answer that waits on a batch waits this long, so a
  // slow disk shows here first (`kclinic_audit_commit_duration_seconds` in /metrics).
  const DurationHistogram& commit_durations() const { return commit_durations_; }

 private:
  struct Item {
    std::vector<domain::AuditEvent> events;
    Done done;
  };
  void Run();
  Status WriteBatch(std::vector<domain::AuditEvent>& events);

  domain::Store& store_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable drained_cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool busy_ = false;  // a batch is taken and not yet completed
  uint64_t batches_ = 0;
  uint64_t events_ = 0;
  DurationHistogram commit_durations_{{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                       0.05, 0.1, 0.25, 0.5, 1, 2.5, 10}};
  std::thread thread_;  // last: starts in the constructor, once every member above exists
};

}  // namespace kclinic::app
