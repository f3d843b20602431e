#include "kclinic/app/patient_fetcher.h"

#include <unordered_map>

namespace kclinic::app {

namespace {
thread_local NonBlockingScope* current_scope = nullptr;
}  // namespace

NonBlockingScope::NonBlockingScope(std::shared_ptr<const domain::Patient> fetched)
    : fetched_(std::move(fetched)) {
  current_scope = this;
}
NonBlockingScope::~NonBlockingScope() { current_scope = nullptr; }

bool NonBlockingScope::Refuse() {
  if (current_scope == nullptr) return false;
  current_scope->refused_ = true;
  return true;
}

bool NonBlockingScope::Refused() { return current_scope != nullptr && current_scope->refused_; }

std::shared_ptr<const domain::Patient> NonBlockingScope::FetchedOrWant(const PatientId& id) {
  NonBlockingScope* scope = current_scope;
  if (scope == nullptr) return nullptr;
  if (scope->fetched_ && scope->fetched_->id == id) return scope->fetched_;
  if (!scope->refused_) scope->wanted_ = id;
  scope->refused_ = true;
  return nullptr;
}

bool NonBlockingScope::FirstAttempt() {
  return current_scope != nullptr && !current_scope->refused_ && !current_scope->fetched_;
}

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

void PatientFetcher::Drain() {
  std::unique_lock lock(mu_);
  drained_cv_.wait(lock, [&] { return busy_ == 0 && (queue_.empty() || held_); });
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
      ++busy_;
    }
    // Each distinct id is read once, all of them in one read transaction (and one query where
    // the store can: PatientRepository::GetMany); every request for an id gets the same record
    // (shared, read-only). An id not found is NotFound.
    std::unordered_map<std::string, Result<std::shared_ptr<const domain::Patient>>> read;
    std::vector<PatientId> ids;
    for (const Item& item : batch) {
      if (read.emplace(item.id.value(), NotFound("no patient with this id")).second) {
        ids.push_back(item.id);
      }
    }
    Status failed = [&]() -> Status {
      KC_ASSIGN_OR_RETURN(auto tx, store_.Begin(domain::TxMode::kRead));
      // GetMany reads a single id with Get (every back end), several in one query (PostgreSQL).
      KC_ASSIGN_OR_RETURN(auto found, tx->patients().GetMany(ids));
      for (domain::Patient& p : found) {
        // Only ids asked for can come back; anything else is skipped rather than trusted.
        auto it = read.find(p.id.value());
        if (it != read.end()) it->second = std::make_shared<const domain::Patient>(std::move(p));
      }
      // A read-only transaction: its commit only ends it (and lets SQLite offer what it read to
      // the store's cache).
      return tx->Commit();
    }();
    if (!failed.ok()) {
      for (auto& [id, r] : read) r = failed;
    }
    {
      std::lock_guard lock(mu_);
      fetches_ += batch.size();
      reads_ += read.size();
      ++batches_;
    }
    for (auto& item : batch) item.done(read.at(item.id.value()));
    {
      std::lock_guard lock(mu_);
      --busy_;
    }
    drained_cv_.notify_all();
  }
}

}  // namespace kclinic::app
