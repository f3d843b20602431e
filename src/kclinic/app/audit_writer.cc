#include "kclinic/app/audit_writer.h"

#include <chrono>
#include <future>

namespace kclinic::app {

namespace {
thread_local AuditDeferral* current_deferral = nullptr;
}  // namespace

AuditDeferral::AuditDeferral() { current_deferral = this; }
AuditDeferral::~AuditDeferral() { current_deferral = nullptr; }
AuditDeferral* AuditDeferral::Current() { return current_deferral; }

AuditWriter::AuditWriter(domain::Store& store, size_t max_batch)
    : store_(store), max_batch_(max_batch), thread_([this] { Run(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AuditWriter::SubmitAll(std::vector<domain::AuditEvent> events, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(events), std::move(done)});
  }
  cv_.notify_one();
}

Status AuditWriter::Append(domain::AuditEvent event) {
  std::vector<domain::AuditEvent> events;
  events.push_back(std::move(event));
  return AppendAll(std::move(events));
}

Status AuditWriter::AppendAll(std::vector<domain::AuditEvent> events) {
  if (AuditDeferral* deferral = AuditDeferral::Current()) {
    for (auto& e : events) deferral->events_.push_back(std::move(e));
    return Status::Ok();
  }
  std::promise<Status> promise;
  auto future = promise.get_future();
  SubmitAll(std::move(events), [&promise](const Status& s, std::vector<domain::AuditEvent> back) {
    // A read answered from a record that turned out stale cannot be read again from
    // here (only the HTTP server does that, under a deferral): say so rather than let
    // the caller use it.
    for (const auto& e : back) {
      if (s.ok() && e.served_stale) {
        promise.set_value(
            Status(StatusCode::kAborted, "the record changed while it was read; read it again"));
        return;
      }
    }
    promise.set_value(s);
  });
  return future.get();
}

void AuditWriter::Drain() {
  std::unique_lock lock(mu_);
  drained_cv_.wait(lock, [&] { return !busy_ && queue_.empty(); });
}

uint64_t AuditWriter::batches_committed() const {
  std::lock_guard lock(mu_);
  return batches_;
}

uint64_t AuditWriter::events_committed() const {
  std::lock_guard lock(mu_);
  return events_;
}

Status AuditWriter::WriteBatch(std::vector<domain::AuditEvent>& events) {
  // A busy database (another server appending, a long writer) is retried a few times before the
  // requests waiting on this batch are told to retry.
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    last = store_.AppendAudit(events);
    if (last.ok()) return last;
    if (last.code() != StatusCode::kUnavailable && last.code() != StatusCode::kAborted) break;
  }
  return last;
}

void AuditWriter::Run() {
  for (;;) {
    std::vector<Item> batch;
    size_t n = 0;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && (batch.empty() || n + queue_.front().events.size() <= max_batch_)) {
        n += queue_.front().events.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      busy_ = true;
    }
    std::vector<domain::AuditEvent> events;
    events.reserve(n);
    for (auto& item : batch) {
      for (auto& e : item.events) events.push_back(std::move(e));
    }
    const auto started = std::chrono::steady_clock::now();
    Status s = WriteBatch(events);
    commit_durations_.Record(std::chrono::steady_clock::now() - started);
    if (s.ok()) {
      std::lock_guard lock(mu_);
      ++batches_;
      events_ += events.size();
    }
    // Each item gets its own events back, in order, into the places they were moved from.
    size_t next = 0;
    for (auto& item : batch) {
      for (auto& e : item.events) e = std::move(events[next++]);
      item.done(s, std::move(item.events));
    }
    {
      std::lock_guard lock(mu_);
      busy_ = false;
    }
    drained_cv_.notify_all();
  }
}

}  // namespace kclinic::app
