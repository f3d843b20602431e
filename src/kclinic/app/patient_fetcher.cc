#include "kclinic/app/patient_fetcher.h"

#include <unordered_map>

namespace kclinic::app {

PatientFetcher::PatientFetcher(domain::Store& store, size_t threads, bool held)
    : store_(store), held_(held) {
  for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i)
    threads_.emplace_back([this] { Run(); });
}

PatientFetcher::~PatientFetcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void PatientFetcher::Fetch(const PatientId& id, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({id, std::move(done)});
  }
  cv_.notify_one();
}

void PatientFetcher::Release() {
  {
    std::lock_guard lock(mu_);
    held_ = false;
  }
  cv_.notify_all();
}

uint64_t PatientFetcher::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}
uint64_t PatientFetcher::reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}
uint64_t PatientFetcher::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

void PatientFetcher::Run() {
  for (;;) {
    std::deque<Item> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || (!held_ && !queue_.empty()); });
      if (stopping_) {
        batch.swap(queue_);
        lock.unlock();
        for (auto& item : batch) {
          item.done(Status(StatusCode::kUnavailable, "the server is stopping"));
        }
        return;
      }
      batch.swap(queue_);  // everything queued while the last batch was read
    }
    // Each distinct id is read once, in one read transaction for the whole batch; every request
    // for it gets the same record (shared, read-only).
    std::unordered_map<std::string, Result<std::shared_ptr<const domain::Patient>>> read;
    auto tx = store_.Begin(domain::TxMode::kRead);
    for (const Item& item : batch) {
      if (read.count(item.id.value())) continue;
      if (!tx.ok()) {
        read.emplace(item.id.value(), tx.status());
        continue;
      }
      auto p = (*tx)->patients().Get(item.id);
      read.emplace(item.id.value(),
                   p.ok() ? Result<std::shared_ptr<const domain::Patient>>(
                                std::make_shared<const domain::Patient>(std::move(p).value()))
                          : Result<std::shared_ptr<const domain::Patient>>(p.status()));
    }
    if (tx.ok()) {
      // A read-only transaction: its commit only ends it (and lets SQLite offer what it read
      // to the store's cache).
      if (Status s = (*tx)->Commit(); !s.ok()) {
        for (auto& [id, r] : read) r = s;
      }
      tx->reset();
    }
    {
      std::lock_guard lock(mu_);
      fetches_ += batch.size();
      reads_ += read.size();
      ++batches_;
    }
    for (auto& item : batch) item.done(read.at(item.id.value()));
  }
}

}  // namespace kclinic::app
