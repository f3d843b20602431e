// Ports: the storage interfaces the application needs, implemented by store/ for SQLite and
// PostgreSQL (Orthanc's storage-behind-an-interface with a transaction object). Every method runs
// inside the Transaction that handed out the repository; none is thread-safe on its own.
// Errors: NotFound for a missing row, AlreadyExists for a unique-key clash, Aborted when a
// concurrent change won (retry), Unavailable when the database cannot be reached, Internal else.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kclinic/base/status.h"
#include "kclinic/base/strong_id.h"
#include "kclinic/domain/audit.h"
#include "kclinic/domain/patient.h"
#include "kclinic/domain/records.h"
#include "kclinic/domain/settings.h"
#include "kclinic/domain/user.h"

namespace kclinic::domain {

// Who made a change and why, stored with each version of a record.
struct ChangeInfo {
  Timestamp at;
  std::string by;  // username
  std::optional<std::string> reason;
};

struct PatientQuery {
  std::string name_prefix;         // matched against given, family and "given family"
  int limit = 20;                  // 1..100
  std::optional<PatientId> after;  // keyset cursor: the last id of the previous page
};

struct PatientPage {
  std::vector<Patient> items;
  std::optional<PatientId> next_cursor;
};

class PatientRepository {
 public:
  virtual ~PatientRepository() = default;
  // Stores a new record (version 1) with its weights, and its first history entry.
  virtual Status Insert(const Patient& patient, const ChangeInfo& change) = 0;
  virtual Result<Patient> Get(const PatientId& id) = 0;
  // The patients among `ids` that exist, each once, in no particular order. This default calls Get
  // for each; a back end with round trips reads them in one query (PostgreSQL).
  virtual Result<std::vector<Patient>> GetMany(const std::vector<PatientId>& ids);
  // Replaces the fields of version `patient.version - 1` with `patient.version`. Aborted when the
  // stored version is not `patient.version - 1` (someone else changed it first).
  virtual Status Update(const Patient& patient, const ChangeInfo& change) = 0;
  virtual Status AddWeight(const PatientId& id, const WeightEntry& weight) = 0;
  // Ordered by family name, given name, id. InvalidArgument(field "cursor") for an unknown cursor.
  virtual Result<PatientPage> Search(const PatientQuery& query) = 0;
  // Every stored version, oldest first.
  virtual Result<std::vector<PatientVersion>> History(const PatientId& id) = 0;
  virtual Result<int64_t> Count() = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // AlreadyExists (field "username") when the name is taken, or (field "patient_id") when the
  // patient already has an account.
  virtual Status Insert(const User& user) = 0;
  virtual Result<User> GetById(const UserId& id) = 0;
  virtual Result<User> GetByUsername(std::string_view username) = 0;
  // Writes failed_logins, locked_until, totp_secret, totp_enabled and password_hash.
  virtual Status UpdateCredentials(const User& user) = 0;
  virtual Result<std::vector<User>> List() = 0;
  virtual Result<int64_t> Count() = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Insert(const Session& session) = 0;
  virtual Result<Session> Get(std::string_view token_hash) = 0;
  virtual Status Touch(std::string_view token_hash, Timestamp last_seen_at) = 0;
  virtual Status Revoke(std::string_view token_hash) = 0;
  // Ends every open session of `user` except the one whose hash is `keep` (empty: all).
  virtual Status RevokeAllOf(const UserId& user, std::string_view keep) = 0;
};

// A request sent with an Idempotency-Key, and the answer it got (http/api_idempotency.cc).
struct IdempotentRequest {
  std::string fingerprint;  // the method, path and body, hashed
  int status = 0;           // 0: still running, or interrupted before its answer was kept
  std::string content_type;
  std::string body;
  std::string location;  // the answer's Location header, or ""
  Timestamp created_at;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  virtual Result<std::optional<IdempotentRequest>> Get(const UserId& user,
                                                       std::string_view key) = 0;
  // Records a request about to run; AlreadyExists when the user's key is taken (also by a
  // concurrent request).
  virtual Status InsertPending(const UserId& user, std::string_view key,
                               const IdempotentRequest& request) = 0;
  // Keeps the answer of the request under the user's key.
  virtual Status Complete(const UserId& user, std::string_view key,
                          const IdempotentRequest& answered) = 0;
  virtual Status Remove(const UserId& user, std::string_view key) = 0;
  // Forgets every key made before `before`.
  virtual Status RemoveBefore(Timestamp before) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Appends `events` in order: locks the chain head for the rest of the transaction, assigns seq
  // and prev_hash, computes each hash and stores them. Fills those fields in `events`.
  virtual Status Append(std::vector<AuditEvent>& events) = 0;
  // Up to `limit` events with seq > `after_seq`, in seq order.
  virtual Result<std::vector<AuditEvent>> Scan(int64_t after_seq, int limit) = 0;
  // The chain head: the seq and hash of the last appended event (0 and kGenesisHash when empty).
  virtual Result<std::pair<int64_t, std::string>> Head() = 0;
  // Up to `limit` newest events, newest first; only those for `patient_id` when it is set.
  virtual Result<std::vector<AuditEvent>> Recent(int limit, const std::string& patient_id) = 0;
};

struct SettingChange {
  int64_t version = 0;
  std::string key;
  double value = 0;
  ChangeInfo change;
};

class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual Result<SiteSettings> Current() = 0;
  // Stores a new version of one setting; returns the new settings version.
  virtual Result<int64_t> Set(std::string_view key, double value, const ChangeInfo& change) = 0;
  virtual Result<std::vector<SettingChange>> History() = 0;
};

// Courses, their sessions, assessments and safety alerts (measurement-based care).
class CareRepository {
 public:
  virtual ~CareRepository() = default;
  virtual Status InsertCourse(const Course& course) = 0;
  virtual Result<Course> GetCourse(std::string_view id) = 0;
  // A patient's courses, oldest first.
  virtual Result<std::vector<Course>> Courses(const PatientId& patient) = 0;
  // Patients with a course in induction or maintenance.
  virtual Result<std::vector<PatientId>> PatientsInTreatment() = 0;
  virtual Status UpdateCoursePhase(std::string_view id, CoursePhase phase) = 0;
  virtual Status InsertSession(const CourseSession& session) = 0;
  // Moves a session (booked → given at the real start, or cancelled). NotFound when absent.
  virtual Status UpdateSession(std::string_view id, Timestamp at, CourseSessionStatus status) = 0;
  // The sessions of every course of a patient, in time order.
  virtual Result<std::vector<CourseSession>> Sessions(const PatientId& patient) = 0;
  virtual Status InsertAssessment(const AssessmentRecord& assessment) = 0;
  // A patient's assessments in administration order.
  virtual Result<std::vector<AssessmentRecord>> Assessments(const PatientId& patient) = 0;
  virtual Status InsertAlert(const Alert& alert) = 0;
  virtual Result<Alert> GetAlert(std::string_view id) = 0;
  // Open alerts first (oldest first), then acknowledged ones (newest first) when `include_closed`.
  virtual Result<std::vector<Alert>> Alerts(bool include_closed, int limit) = 0;
  // Records the acknowledgement. Aborted when someone acknowledged it first.
  virtual Status AcknowledgeAlert(std::string_view id, Timestamp at, std::string_view by,
                                  std::string_view action) = 0;
  // The newest version of a site text, NotFound when never set.
  virtual Result<SiteText> GetText(std::string_view key) = 0;
  virtual Status InsertText(const SiteText& text) = 0;
};

// Intakes, screening decisions and infusion plans.
class ScreeningRepository {
 public:
  virtual ~ScreeningRepository() = default;
  // Stores the next version of the patient's intake; fills `intake.version`.
  virtual Status InsertIntake(IntakeRecord& intake) = 0;
  virtual Result<IntakeRecord> GetIntake(std::string_view id) = 0;
  // The newest intake version, NotFound when there is none.
  virtual Result<IntakeRecord> LatestIntake(const PatientId& patient) = 0;
  virtual Status InsertDecision(const ScreeningDecisionRecord& decision) = 0;
  // Newest first.
  virtual Result<std::vector<ScreeningDecisionRecord>> Decisions(const PatientId& patient) = 0;
  virtual Status InsertPlan(const InfusionPlanRecord& plan) = 0;
  // Newest first.
  virtual Result<std::vector<InfusionPlanRecord>> Plans(const PatientId& patient) = 0;
};

// kRead: reads that need no common snapshot (each statement may see its own; PostgreSQL then runs
// them without BEGIN/COMMIT, saving two round trips). kSnapshot: reads that must agree with each
// other (one snapshot for the whole transaction). kWrite: reads and writes, serialised.
// Repositories of later areas, declared in their own headers: domain/session/ports.h (infusion
// and esketamine sessions), domain/ledger/ports.h (controlled-substance ledger),
// domain/schedule/ports.h (resources, bookings).
class InfusionRepository;
class LedgerRepository;
class ScheduleRepository;

enum class TxMode { kRead, kSnapshot, kWrite };

// One database transaction. Destroying it without Commit() rolls back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual PatientRepository& patients() = 0;
  virtual UserRepository& users() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual AuditRepository& audit() = 0;
  virtual SettingsRepository& settings() = 0;
  virtual CareRepository& care() = 0;
  virtual ScreeningRepository& screening() = 0;
  virtual InfusionRepository& infusions() = 0;
  virtual LedgerRepository& ledger() = 0;
  virtual ScheduleRepository& schedule() = 0;
  virtual IdempotencyRepository& idempotency() = 0;
  virtual Status Commit() = 0;
};

// The most patient records kept in memory by each cache of them (a store's CachedPatient and
// RecentPatient records, the API's rendered JSON); a full cache is emptied and fills again. A
// clinic's active patients fit many times over, and a miss costs one read.
inline constexpr size_t kPatientRecordsKept = 5000;

// A database. Thread-safe: each thread begins its own transactions.
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;
  // Appends `events` to the audit trail in a transaction of their own and fills their seq,
  // prev_hash and hash, like AuditRepository::Append followed by a commit (which is what this
  // default does). The audit writer's batches come here. Events with a served_rev are checked
  // once the events are stored: served_stale is set on those whose record has changed since (the
  // default sets it on all of them: it cannot check).
  virtual Status AppendAudit(std::vector<AuditEvent>& events);
  // A store shared by several servers (PostgreSQL) cannot cache exactly, but it can keep the
  // records it read with their revision: a record from here may answer a read only once the
  // append of that read's audit event (served_rev) has confirmed it is still current. Null
  // record when there is none.
  struct RecentRecord {
    std::shared_ptr<const Patient> record;
    int64_t rev = 0;
  };
  virtual RecentRecord RecentPatient(const PatientId& /*id*/) { return {}; }
  // The patient as last committed, from memory, or null when it is not cached. Only a store that
  // sees every write to its database caches (SQLite served by one process; see soci_store.h), so
  // a cached record is never older than the last commit that changed it.
  virtual std::shared_ptr<const Patient> CachedPatient(const PatientId& /*id*/) { return nullptr; }
  // True when CachedPatient can return records at all.
  virtual bool caches_patients() const { return false; }
  // Applies the numbered migrations not yet applied; returns how many ran.
  virtual Result<int> Migrate() = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  // True when a trivial query succeeds (for /readyz).
  virtual bool Ping() = 0;
  // Whether a write can commit now (for /readyz): one small write committed, and, where the store
  // sees the disk its database is on, free space above the reserve (StoreOptions). Unavailable
  // with the reason otherwise.
  virtual Status CheckWritable() = 0;
  // What in the database's configuration could lose a write already acknowledged (PostgreSQL's
  // fsync or synchronous_commit off, a database file on a RAM disk); empty when nothing.
  virtual std::vector<std::string> DurabilityRisks() = 0;
  // Faults met and mended since start, for /metrics.
  struct FaultCounters {
    int64_t reconnects = 0;          // connections opened again after the database closed them
    int64_t reconnect_failures = 0;  // tries that failed (the database still down)
    int64_t writes_refused_low_disk = 0;
  };
  virtual FaultCounters fault_counters() const { return {}; }
};

}  // namespace kclinic::domain
