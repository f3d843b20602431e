// Internal to store/: the patient records a store keeps in memory (StoreOptions::patient_cache):
// SQLite's exact cache and PostgreSQL's records to confirm, and how one transaction uses them.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kclinic/store/soci_common.h"

namespace kclinic::store::internal {

// Patient records as last committed, kept by a store that sees every write to its database
// (StoreOptions::patient_cache). A read transaction offers what it read; a transaction that
// changed a patient forgets that patient once it has committed or rolled back, and each
// forgetting moves the generation on, so a read that began before a change and finishes after it
// cannot put its older copy back. Thread-safe.
class PatientCache {
 public:
  std::shared_ptr<const Patient> Find(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    return it == records_.end() ? nullptr : it->second;
  }
  uint64_t generation() const {
    std::lock_guard lock(mu_);
    return generation_;
  }
  // `patient` as read by a transaction that began when the cache was at `generation`.
  void Offer(const Patient& patient, uint64_t generation) {
    auto copy = std::make_shared<const Patient>(patient);
    std::lock_guard lock(mu_);
    if (generation != generation_) return;  // something changed since that read began
    if (records_.size() >= domain::kPatientRecordsKept) records_.clear();
    records_[patient.id.value()] = std::move(copy);
  }
  void Forget(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    ++generation_;
    for (const auto& id : ids) records_.erase(id);
  }

 private:
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const Patient>> records_;
};

// Patient records a PostgreSQL store read, each with its revision (the patients.rev column that
// every change to the record renumbers in its own transaction; migration 0007). Not exact, as
// other servers write the same database: a record from here answers a read only once the
// append of that read's audit event finds the revision still current (SociStore::AppendAudit;
// Store::RecentPatient). Thread-safe.
class RecentPatients {
 public:
  Store::RecentRecord Find(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    return it == records_.end() ? Store::RecentRecord{} : it->second;
  }
  // `patient` at revision `rev`, as a read just returned it. A revision older than the one kept
  // is ignored (a read that began before a change, finishing after one that began later); the
  // same revision keeps the record already held, so its rendered JSON stays memoised
  // (http::Api::PatientJsonOf).
  void Offer(const Patient& patient, int64_t rev) {
    std::lock_guard lock(mu_);
    auto it = records_.find(patient.id.value());
    if (it != records_.end() && it->second.rev >= rev) return;
    if (records_.size() >= domain::kPatientRecordsKept) records_.clear();
    records_[patient.id.value()] = {std::make_shared<const Patient>(patient), rev};
  }
  // After this server's own change, so that its next read does not need a second try.
  void Forget(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    for (const auto& id : ids) records_.erase(id);
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Store::RecentRecord> records_;
};

// How one transaction uses the store's patient cache.
struct PatientCacheUse {
  PatientCache* cache = nullptr;     // null: the store keeps none
  RecentPatients* recent = nullptr;  // PostgreSQL's records to confirm; null: none kept
  bool offer = false;                // a read transaction: what it reads may be cached
  uint64_t generation = 0;           // the cache's generation before the transaction began
  std::vector<std::string> written;  // patients the transaction changed
  // Not after a change of its own: what it reads then is not committed yet.
  bool MayOffer() const { return offer && written.empty(); }
  // Once the transaction has ended (committed or rolled back): the patients it changed leave
  // whichever cache the store keeps.
  void ForgetWritten() {
    if (written.empty()) return;
    if (cache) cache->Forget(written);
    if (recent) recent->Forget(written);
    written.clear();
  }
};

}  // namespace kclinic::store::internal
