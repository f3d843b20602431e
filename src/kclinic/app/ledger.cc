// Controlled-substance ledger use cases (CLINICAL.md §7). See ledger.h.
#include "kclinic/app/ledger.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "kclinic/app/auth.h"
#include "kclinic/app/login_throttle.h"
#include "kclinic/base/crypto.h"
#include "kclinic/domain/ledger/ports.h"
#include "kclinic/domain/ledger/settings.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/ports.h"
#include "kclinic/domain/session/ports.h"

namespace kclinic::app {

namespace {

using domain::Actor;
using domain::Permission;
using domain::Transaction;
namespace ledger = domain::ledger;
using ledger::Entry;
using ledger::EntryKind;

constexpr int kAppendAttempts = 4;

Status WithField(StatusCode code, std::string field, std::string message) {
  return Status(code, std::move(message), std::move(field));
}

bool Holds(const Actor& actor, Permission a, Permission b) {
  return domain::RoleHas(actor.role, a) || domain::RoleHas(actor.role, b);
}

// Audit events of a use case that runs inside a caller's transaction. Under the HTTP server's
// AuditDeferral the writer does not block, and the events survive the caller's rollback; otherwise
// (CLI, tests) they join the caller's transaction: the audit writer's own write transaction would
// wait on the caller's write lock (SQLite) while the caller waits on it.
Status AppendEvent(Transaction& tx, domain::AuditEvent event) {
  std::vector<domain::AuditEvent> events{std::move(event)};
  return tx.audit().Append(events);
}

Status AuditInside(const Env& env, Transaction& tx, domain::AuditEvent event) {
  if (AuditDeferral::Current() != nullptr) return env.audit.Append(std::move(event));
  std::vector<domain::AuditEvent> events{std::move(event)};
  return tx.audit().Append(events);
}

std::string FormatMg(double mg) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", std::round(mg * 1000) / 1000);
  return buf;
}

// Appends `e` to its lot under the lot's lock: derives the balance from the lot's entries,
// checks the stored chain agrees, checks the entry (CLINICAL.md §7 rules in domain/ledger), chains
// it (seq, balance_after) and inserts it. A racing append of the same seq (UNIQUE(lot_id, seq))
// comes back as Aborted.
Result<Entry> Append(const Env& env, Transaction& tx, Entry e) {
  KC_ASSIGN_OR_RETURN(auto lot, tx.ledger().LockLot(e.lot_id));
  if (!lot) return WithField(StatusCode::kNotFound, "lot_id", "no such lot");
  KC_ASSIGN_OR_RETURN(auto entries, tx.ledger().Entries(e.lot_id));
  const Milligrams balance = ledger::DerivedBalance(entries);
  std::optional<Entry> last;
  if (!entries.empty()) last = entries.back();
  if (last && std::abs(last->balance_after.value() - balance.value()) > 0.001) {
    return Internal("ledger: the stored running balance of a lot disagrees with its entries");
  }
  const Timestamp now = env.clock.Now();
  KC_RETURN_IF_ERROR(ledger::CheckEntry(*lot, e, balance, DateOf(now)));
  e.id = NewId();
  if (e.at == Timestamp{}) e.at = now;
  e.amount_ml = ledger::ToMilliliters(*lot, Milligrams(std::abs(e.amount_mg.value())));
  if (e.kind == EntryKind::kAdjustment && e.amount_mg.value() < 0) {
    e.amount_ml = Milliliters(-e.amount_ml.value());
  }
  ledger::Chain(e, last);
  Status s = tx.ledger().InsertEntry(e);
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAborted,
                  "another entry was recorded on this lot at the same moment; try again");
  }
  KC_RETURN_IF_ERROR(s);
  return e;
}

// Runs `body` in its own write transaction, again when a concurrent append won (Aborted), a few
// times; then the 409 goes to the caller.
template <typename F>
auto InWriteTx(const Env& env, F&& body) -> decltype(body(std::declval<Transaction&>())) {
  Status last = Status(StatusCode::kAborted, "the ledger is busy; try again");
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    auto tx = env.store.Begin(domain::TxMode::kWrite);
    if (!tx.ok()) {
      if (tx.status().code() != StatusCode::kAborted) return tx.status();
      last = tx.status();
      continue;
    }
    auto result = body(**tx);
    if (result.ok()) {
      Status c = (*tx)->Commit();
      if (c.ok()) return result;
      if (c.code() != StatusCode::kAborted) return c;
      last = c;
      continue;
    }
    if (result.status().code() != StatusCode::kAborted) return result.status();
    last = result.status();
  }
  return last;
}

// A session custody entry (administer, waste, return) may not exceed what the session drew from
// the lot and has not yet accounted for: drawn = administered + wasted + returned.
Status CheckCustody(Transaction& tx, const Entry& e) {
  KC_ASSIGN_OR_RETURN(auto entries, tx.ledger().SessionEntries(e.session_id));
  double open = 0;
  for (const auto& x : entries) {
    if (x.lot_id != e.lot_id) continue;
    if (x.patient_id && e.patient_id && *x.patient_id != *e.patient_id) {
      return InvalidArgument("session_id", "the session belongs to another patient");
    }
    if (x.kind == EntryKind::kDraw) open += x.amount_mg.value();
    if (x.kind == EntryKind::kAdminister || x.kind == EntryKind::kWaste ||
        x.kind == EntryKind::kReturn) {
      open -= x.amount_mg.value();
    }
  }
  if (e.amount_mg.value() > open + 0.001) {
    return WithField(StatusCode::kFailedPrecondition, "amount_mg",
                     "amount_mg: exceeds what the session drew from this lot and has not yet "
                     "accounted for (" +
                         FormatMg(std::max(open, 0.0)) + " mg)");
  }
  return Status::Ok();
}

Result<Entry> SessionEntry(const Env& env, Transaction& tx, const Actor& actor, EntryKind kind,
                           std::string_view lot_id, Milligrams amount, std::string_view session_id,
                           const PatientId& patient, std::string_view witness) {
  const std::string action = "ledger." + std::string(ledger::KindName(kind));
  if (!Holds(actor, Permission::kSessionWrite, Permission::kLedgerWrite) ||
      !domain::CanReachPatient(actor, patient)) {
    KC_RETURN_IF_ERROR(AuditInside(
        env, tx, MakeEvent(env, &actor, action, "access", "denied", patient.value(), "role")));
    return PermissionDenied("your role may not record controlled-substance entries");
  }
  if (lot_id.empty()) return InvalidArgument("lot_id", "is required");
  Entry e;
  e.lot_id = std::string(lot_id);
  e.kind = kind;
  e.amount_mg = amount;
  e.by = actor.username;
  e.witness = std::string(witness);
  e.session_id = std::string(session_id);
  e.patient_id = patient;
  if (kind != EntryKind::kDraw && e.amount_mg.value() > 0 && !e.session_id.empty()) {
    KC_RETURN_IF_ERROR(CheckCustody(tx, e));
  }
  KC_ASSIGN_OR_RETURN(Entry stored, Append(env, tx, std::move(e)));
  KC_RETURN_IF_ERROR(
      AuditInside(env, tx,
                  MakeEvent(env, &actor, action, "ledger/entry", "success", patient.value(),
                            "lot=" + stored.lot_id + " mg=" + FormatMg(stored.amount_mg.value()))));
  return stored;
}

LotView MakeView(const ledger::Lot& lot, const std::vector<Entry>& entries, Timestamp now) {
  LotView v;
  v.lot = lot;
  v.balance = ledger::DerivedBalance(entries);
  v.balance_ml = ledger::ToMilliliters(lot, v.balance);
  v.expired = ledger::IsExpired(lot, DateOf(now));
  return v;
}

std::map<std::string, std::vector<Entry>> ByLot(std::vector<Entry> entries) {
  std::map<std::string, std::vector<Entry>> out;
  for (auto& e : entries) out[e.lot_id].push_back(std::move(e));
  return out;
}

// One audit event per patient named by `entries` (ledger rows naming a patient are patient data).
std::vector<domain::AuditEvent> ReadEvents(const Env& env, const Actor* actor,
                                           const std::string& action,
                                           const std::vector<const Entry*>& entries) {
  std::set<std::string> patients;
  for (const Entry* e : entries) {
    if (e->patient_id) patients.insert(e->patient_id->value());
  }
  std::vector<domain::AuditEvent> out;
  for (const auto& p : patients) {
    out.push_back(MakeEvent(env, actor, action, "ledger/entries", "success", p));
  }
  return out;
}

Status RequireRole(const Env& env, const Actor& actor, Permission p, const std::string& action) {
  if (domain::RoleHas(actor.role, p)) return Status::Ok();
  KC_RETURN_IF_ERROR(RecordDenial(env, &actor, action, "", "role"));
  return PermissionDenied("your role may not do this");
}

DiscrepancyView MakeDiscrepancyView(ledger::Discrepancy d,
                                    const std::map<std::string, std::string>& lot_numbers,
                                    Timestamp now) {
  DiscrepancyView v;
  auto it = lot_numbers.find(d.lot_id);
  if (it != lot_numbers.end()) v.lot_number = it->second;
  v.overdue = ledger::Overdue(d, now);
  v.discrepancy = std::move(d);
  return v;
}

}  // namespace

Result<Entry> LedgerAppend(const Env& env, Transaction& tx, Entry entry) {
  return Append(env, tx, std::move(entry));
}

// --- Inside a caller's transaction ---------------------------------------------------------------

Result<Entry> LedgerDraw(const Env& env, Transaction& tx, const Actor& actor,
                         std::string_view lot_id, Milligrams amount, std::string_view session_id,
                         const PatientId& patient) {
  return SessionEntry(env, tx, actor, EntryKind::kDraw, lot_id, amount, session_id, patient, "");
}

Result<Entry> LedgerAdminister(const Env& env, Transaction& tx, const Actor& actor,
                               std::string_view lot_id, Milligrams amount,
                               std::string_view session_id, const PatientId& patient) {
  return SessionEntry(env, tx, actor, EntryKind::kAdminister, lot_id, amount, session_id, patient,
                      "");
}

Result<Entry> LedgerWaste(const Env& env, Transaction& tx, const Actor& actor,
                          std::string_view lot_id, Milligrams amount, std::string_view session_id,
                          const PatientId& patient, std::string_view witness_username) {
  return SessionEntry(env, tx, actor, EntryKind::kWaste, lot_id, amount, session_id, patient,
                      witness_username);
}

Result<Entry> LedgerReturn(const Env& env, Transaction& tx, const Actor& actor,
                           std::string_view lot_id, Milligrams amount, std::string_view session_id,
                           const PatientId& patient) {
  return SessionEntry(env, tx, actor, EntryKind::kReturn, lot_id, amount, session_id, patient, "");
}

Result<std::string> CheckWitness(const Env& env, const Actor& actor, std::string_view username,
                                 std::string_view password, std::string_view code) {
  if (username.empty()) return InvalidArgument("witness_username", "is required");
  if (password.empty()) return InvalidArgument("witness_password", "is required");
  if (username == actor.username) {
    return InvalidArgument("witness_username", "the witness must be another person");
  }
  const Timestamp now = env.clock.Now();
  const domain::SiteSettings settings = env.settings.Get();
  // One answer for every failure, so that the check tells nothing apart: not who exists, who is
  // locked, nor which of the password and the code was wrong. Not 401: the caller's own session
  // is fine.
  auto refuse = [&](std::string why) -> Result<std::string> {
    KC_RETURN_IF_ERROR(env.audit.Append(
        MakeEvent(env, &actor, "ledger.witness", "session", "failure", "", std::move(why))));
    return InvalidArgument("witness_password",
                           "the witness's username, password or one-time code is wrong, or the "
                           "witness's account is locked");
  };
  // The colleague asking is the source: her wrong guesses hold her back (delays, then a lockout
  // from this witness) without locking the witness out of her own logins.
  const std::string source = "user:" + actor.user_id.value();
  if (env.throttle) {
    if (env.throttle->Check(source, username, now)) return refuse("too soon after failures");
  }
  // The password check (Argon2id, tens of ms) runs outside the write transaction, as at login.
  auto found = [&]() -> Result<domain::User> {
    KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kRead));
    return tx->users().GetByUsername(username);
  }();
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    (void)VerifyPassword(DummyPasswordHash(), password);  // the same time as a real check
    if (env.throttle) (void)env.throttle->Failed(source, username, now, settings);
    return refuse("unknown witness");
  }
  domain::User user = std::move(found).value();
  const bool password_ok = VerifyPassword(user.password_hash, password);
  const bool staff = user.role == domain::Role::kNurse || user.role == domain::Role::kPrescriber;
  if (!staff) {
    if (env.throttle) (void)env.throttle->Failed(source, username, now, settings);
    return refuse("witness is not a nurse or prescriber");
  }
  std::optional<int64_t> step;
  if (user.totp_enabled) step = TotpMatchStep(user.totp_secret, code, now);

  KC_ASSIGN_OR_RETURN(auto tx, env.store.Begin(domain::TxMode::kWrite));
  {
    // Count from the stored value, not the one read before the slow check (as at login).
    KC_ASSIGN_OR_RETURN(domain::User fresh, tx->users().GetById(user.id));
    user.failed_logins = fresh.failed_logins;
    user.locked_until = fresh.locked_until;
    user.totp_last_step = fresh.totp_last_step;
  }
  if (user.locked_until && *user.locked_until > now) {
    KC_RETURN_IF_ERROR(tx->Commit());
    return refuse("witness account locked");
  }
  // The witness's second factor counts as at login (RFC 6238 §5.2: a code is accepted once).
  const bool code_ok = !user.totp_enabled || (step && *step > user.totp_last_step);
  if (!password_ok || !code_ok) {
    // A wrong witness password counts exactly as a failed login (domain::WaitAfterFailures,
    // CountAccountFailure), so that the check cannot be used to guess a colleague's password
    // without limit.
    const bool lock = domain::CountAccountFailure(user, now, settings);
    KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
    KC_RETURN_IF_ERROR(tx->Commit());
    if (env.throttle) (void)env.throttle->Failed(source, username, now, settings);
    return refuse(
        std::string(password_ok ? "wrong witness one-time code" : "wrong witness password") +
        (lock ? "; witness account locked" : ""));
  }
  user.failed_logins = 0;
  user.locked_until.reset();
  if (step) user.totp_last_step = *step;
  KC_RETURN_IF_ERROR(tx->users().UpdateCredentials(user));
  if (env.throttle) env.throttle->Succeeded(source, username);
  std::vector<domain::AuditEvent> events{MakeEvent(env, &actor, "ledger.witness", "session",
                                                   "success", "", "witness=" + user.username)};
  KC_RETURN_IF_ERROR(tx->audit().Append(events));
  KC_RETURN_IF_ERROR(tx->Commit());
  return user.username;
}

Result<std::vector<Entry>> LedgerForSession(const Env& env, Transaction& tx, const Actor& actor,
                                            std::string_view session_id) {
  if (!Holds(actor, Permission::kSessionRead, Permission::kLedgerRead)) {
    KC_RETURN_IF_ERROR(AuditInside(
        env, tx, MakeEvent(env, &actor, "ledger.session.read", "access", "denied", "", "role")));
    return PermissionDenied("your role may not read the ledger");
  }
  KC_ASSIGN_OR_RETURN(auto entries, tx.ledger().SessionEntries(session_id));
  std::vector<const Entry*> ptrs;
  for (const auto& e : entries) ptrs.push_back(&e);
  for (auto& ev : ReadEvents(env, &actor, "ledger.session.read", ptrs)) {
    KC_RETURN_IF_ERROR(AuditInside(env, tx, std::move(ev)));
  }
  return entries;
}

// --- LedgerService -------------------------------------------------------------------------------

Result<std::vector<LotView>> LedgerService::Lots(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerRead, "ledger.lots.read"));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto lots, tx->ledger().Lots());
  KC_ASSIGN_OR_RETURN(auto entries, tx->ledger().AllEntries());
  KC_RETURN_IF_ERROR(tx->Commit());
  auto by_lot = ByLot(std::move(entries));
  const Timestamp now = env_.clock.Now();
  std::vector<LotView> out;
  for (const auto& lot : lots) out.push_back(MakeView(lot, by_lot[lot.id], now));
  return out;
}

namespace {

// The patient and day of each session in `ids` (a session deleted or unknown is left out).
Result<SessionLabels> LabelSessions(Transaction& tx, const std::set<std::string>& ids) {
  SessionLabels out;
  for (const auto& id : ids) {
    auto stored = tx.infusions().Get(id);
    if (!stored.ok()) {
      if (stored.status().code() == StatusCode::kNotFound) continue;
      return stored.status();
    }
    KC_ASSIGN_OR_RETURN(domain::Patient p, tx.patients().Get(stored->record.patient_id));
    out.emplace(id, SessionLabel{p.fields.name, stored->record.scheduled_at});
  }
  return out;
}

}  // namespace

Result<LotDetail> LedgerService::Lot(const Actor& actor, std::string_view lot_id) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerRead, "ledger.lot.read"));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto lot, tx->ledger().FindLot(lot_id));
  if (!lot) return WithField(StatusCode::kNotFound, "lot_id", "no such lot");
  KC_ASSIGN_OR_RETURN(auto entries, tx->ledger().Entries(lot_id));
  std::set<std::string> session_ids;
  for (const auto& e : entries) {
    if (!e.session_id.empty()) session_ids.insert(e.session_id);
  }
  KC_ASSIGN_OR_RETURN(auto labels, LabelSessions(*tx, session_ids));
  KC_RETURN_IF_ERROR(tx->Commit());
  LotDetail out{MakeView(*lot, entries, env_.clock.Now()), std::move(entries), std::move(labels)};
  std::vector<const Entry*> ptrs;
  for (const auto& e : out.entries) ptrs.push_back(&e);
  auto events = ReadEvents(env_, &actor, "ledger.lot.read", ptrs);
  if (!events.empty()) KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return out;
}

Result<LotView> LedgerService::Receive(const Actor& actor, const ReceiptRequest& r) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.receive"));
  if (r.supplier.name.empty()) return InvalidArgument("supplier.name", "is required");
  if (r.supplier.address.empty()) return InvalidArgument("supplier.address", "is required");
  if (!ledger::ValidDeaNumber(r.supplier.dea_number)) {
    return InvalidArgument("supplier.dea_number",
                           "is not a DEA number (2 letters, 7 digits, the last a check digit)");
  }
  if (r.product.empty()) return InvalidArgument("product", "is required");
  if (r.lot_number.empty()) return InvalidArgument("lot_number", "is required");
  auto expiry = ParseDate(r.expiry);
  if (!expiry) return InvalidArgument("expiry", "must be a date YYYY-MM-DD");
  const Timestamp now = env_.clock.Now();
  if (std::chrono::sys_days(*expiry) < std::chrono::sys_days(DateOf(now))) {
    return InvalidArgument("expiry", "the lot has already expired");
  }
  if (r.vial_count < 1 || r.vial_count > 10000) {
    return InvalidArgument("vial_count", "must be 1-10000");
  }
  if (!(r.strength_mg_per_ml > 0 && r.strength_mg_per_ml <= 1000)) {
    return InvalidArgument("strength_mg_per_ml", "must be more than 0 and at most 1000");
  }
  if (!(r.vial_volume_ml > 0 && r.vial_volume_ml <= 1000)) {
    return InvalidArgument("vial_volume_ml", "must be more than 0 and at most 1000");
  }
  ledger::Lot lot;
  lot.id = NewId();
  lot.product = r.product;
  lot.strength = MgPerMl(r.strength_mg_per_ml);
  lot.vial_volume = Milliliters(r.vial_volume_ml);
  lot.lot_number = r.lot_number;
  lot.expiry = *expiry;
  lot.supplier = r.supplier;
  lot.vials_received = r.vial_count;
  lot.received_at = now;
  lot.received_by = actor.username;
  std::vector<Entry> entries;
  auto stored = InWriteTx(env_, [&](Transaction& tx) -> Result<Entry> {
    KC_RETURN_IF_ERROR(tx.ledger().InsertLot(lot));
    Entry e;
    e.lot_id = lot.id;
    e.kind = EntryKind::kReceipt;
    e.amount_mg = ledger::ReceivedAmount(lot);
    e.by = actor.username;
    e.reason = std::to_string(lot.vials_received) + " vials received from " + lot.supplier.name +
               " (DEA " + lot.supplier.dea_number + ")";
    KC_ASSIGN_OR_RETURN(Entry out, Append(env_, tx, std::move(e)));
    KC_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(env_, &actor, "ledger.receive", "ledger/lot",
                                                 "success", "", "lot=" + lot.id)));
    return out;
  });
  if (!stored.ok()) return stored.status();
  entries.push_back(*stored);
  return MakeView(lot, entries, now);
}

Result<CountResult> LedgerService::Count(const Actor& actor, std::string_view lot_id,
                                         Milligrams counted, std::string note) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.count"));
  if (lot_id.empty()) return InvalidArgument("lot_id", "is required");
  if (!std::isfinite(counted.value()) || counted.value() < 0) {
    return InvalidArgument("counted_mg", "must be a number, 0 or more");
  }
  if (note.size() > 2000) return InvalidArgument("note", "must be at most 2000 characters");
  const double business_days = env_.settings.Get().Get(ledger::kLossReportBusinessDays);
  return InWriteTx(env_, [&](Transaction& tx) -> Result<CountResult> {
    CountResult out;
    KC_ASSIGN_OR_RETURN(auto lot, tx.ledger().LockLot(lot_id));
    if (!lot) return WithField(StatusCode::kNotFound, "lot_id", "no such lot");
    KC_ASSIGN_OR_RETURN(auto entries, tx.ledger().Entries(lot_id));
    out.expected = ledger::DerivedBalance(entries);
    out.counted = counted;
    Entry e;
    e.lot_id = std::string(lot_id);
    e.kind = EntryKind::kCount;
    e.amount_mg = counted;
    e.by = actor.username;
    e.reason = note;
    KC_ASSIGN_OR_RETURN(out.entry, Append(env_, tx, std::move(e)));
    std::vector<domain::AuditEvent> events{
        MakeEvent(env_, &actor, "ledger.count", "ledger/lot", "success", "", "lot=" + lot->id)};
    if (ledger::CountDiffers(out.expected, out.counted)) {
      // CLINICAL.md §7: theft or significant loss reported within 1 business day.
      ledger::Discrepancy d;
      d.id = NewId();
      d.lot_id = lot->id;
      d.kind = "count";
      d.entry_id = out.entry.id;
      d.expected = out.expected;
      d.counted = out.counted;
      d.detected_at = out.entry.at;
      d.detected_by = actor.username;
      d.report_due = ledger::ReportDue(d.detected_at, static_cast<int>(business_days));
      KC_RETURN_IF_ERROR(tx.ledger().InsertDiscrepancy(d));
      events.push_back(MakeEvent(env_, &actor, "ledger.discrepancy.open", "ledger/discrepancy",
                                 "success", "", "discrepancy=" + d.id));
      out.discrepancy =
          MakeDiscrepancyView(std::move(d), {{lot->id, lot->lot_number}}, env_.clock.Now());
    }
    KC_RETURN_IF_ERROR(tx.audit().Append(events));
    return out;
  });
}

Result<Entry> LedgerService::Adjust(const Actor& actor, std::string_view lot_id, Milligrams amount,
                                    std::string reason, std::string_view witness_username,
                                    std::string_view witness_password,
                                    std::string_view witness_code) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.adjust"));
  // The witness first, before anything about the adjustment is checked: what follows a right
  // password must not be reachable without one (CheckWitness counts every failure).
  KC_ASSIGN_OR_RETURN(std::string witness,
                      CheckWitness(env_, actor, witness_username, witness_password, witness_code));
  if (lot_id.empty()) return InvalidArgument("lot_id", "is required");
  if (!std::isfinite(amount.value()) || std::abs(amount.value()) < 0.001) {
    return InvalidArgument("amount_mg", "must be a non-zero number (negative to remove)");
  }
  if (reason.empty() || reason.size() > 2000) {
    return InvalidArgument("reason", "is required (at most 2000 characters)");
  }
  return InWriteTx(env_, [&](Transaction& tx) -> Result<Entry> {
    Entry e;
    e.lot_id = std::string(lot_id);
    e.kind = EntryKind::kAdjustment;
    e.amount_mg = amount;
    e.by = actor.username;
    e.witness = witness;
    e.reason = reason;
    KC_ASSIGN_OR_RETURN(Entry out, Append(env_, tx, std::move(e)));
    KC_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(env_, &actor, "ledger.adjust", "ledger/entry",
                                                 "success", "", "entry=" + out.id)));
    return out;
  });
}

Result<Entry> LedgerService::Transfer(const Actor& actor, std::string_view lot_id,
                                      Milligrams amount, std::string to, std::string reason) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.transfer"));
  if (lot_id.empty()) return InvalidArgument("lot_id", "is required");
  if (!std::isfinite(amount.value()) || amount.value() <= 0) {
    return InvalidArgument("amount_mg", "must be positive");
  }
  if (to.empty() || to.size() > 500) return InvalidArgument("to", "is required");
  if (reason.empty() || reason.size() > 2000) return InvalidArgument("reason", "is required");
  return InWriteTx(env_, [&](Transaction& tx) -> Result<Entry> {
    Entry e;
    e.lot_id = std::string(lot_id);
    e.kind = EntryKind::kTransferOut;
    e.amount_mg = amount;
    e.by = actor.username;
    e.reason = "to " + to + ": " + reason;
    KC_ASSIGN_OR_RETURN(Entry out, Append(env_, tx, std::move(e)));
    KC_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(env_, &actor, "ledger.transfer", "ledger/entry",
                                                 "success", "", "entry=" + out.id)));
    return out;
  });
}

Result<std::vector<DiscrepancyView>> LedgerService::Discrepancies(const Actor& actor) {
  KC_RETURN_IF_ERROR(
      RequireRole(env_, actor, Permission::kLedgerRead, "ledger.discrepancies.read"));
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto lots, tx->ledger().Lots());
  KC_ASSIGN_OR_RETURN(auto list, tx->ledger().Discrepancies());
  KC_RETURN_IF_ERROR(tx->Commit());
  std::map<std::string, std::string> numbers;
  for (const auto& l : lots) numbers[l.id] = l.lot_number;
  const Timestamp now = env_.clock.Now();
  std::vector<DiscrepancyView> out;
  for (auto& d : list) out.push_back(MakeDiscrepancyView(std::move(d), numbers, now));
  return out;
}

Result<DiscrepancyView> LedgerService::Resolve(const Actor& actor, std::string_view discrepancy_id,
                                               std::string resolution, bool reported_to_dea) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.resolve"));
  if (resolution.empty() || resolution.size() > 2000) {
    return InvalidArgument("resolution", "is required (at most 2000 characters)");
  }
  return InWriteTx(env_, [&](Transaction& tx) -> Result<DiscrepancyView> {
    KC_ASSIGN_OR_RETURN(auto found, tx.ledger().FindDiscrepancy(discrepancy_id));
    if (!found) return NotFound("no such discrepancy");
    if (!found->open()) return FailedPrecondition("the discrepancy is already resolved");
    const Timestamp now = env_.clock.Now();
    KC_RETURN_IF_ERROR(tx.ledger().ResolveDiscrepancy(discrepancy_id, now, actor.username,
                                                      resolution, reported_to_dea));
    KC_ASSIGN_OR_RETURN(auto lot, tx.ledger().FindLot(found->lot_id));
    KC_RETURN_IF_ERROR(
        AppendEvent(tx, MakeEvent(env_, &actor, "ledger.discrepancy.resolve", "ledger/discrepancy",
                                  "success", "", "discrepancy=" + found->id)));
    found->resolved_at = now;
    found->resolved_by = actor.username;
    found->resolution = resolution;
    found->reported_to_dea = reported_to_dea;
    std::map<std::string, std::string> numbers;
    if (lot) numbers[lot->id] = lot->lot_number;
    return MakeDiscrepancyView(std::move(*found), numbers, now);
  });
}

Result<LedgerReport> LedgerService::Report(const Actor* actor, std::chrono::year_month_day from,
                                           std::chrono::year_month_day to) {
  if (actor) {
    KC_RETURN_IF_ERROR(RequireRole(env_, *actor, Permission::kLedgerRead, "ledger.report"));
  }
  if (!from.ok()) return InvalidArgument("from", "must be a date YYYY-MM-DD");
  if (!to.ok()) return InvalidArgument("to", "must be a date YYYY-MM-DD");
  if (std::chrono::sys_days(to) < std::chrono::sys_days(from)) {
    return InvalidArgument("to", "must not be before from");
  }
  const Timestamp start{std::chrono::sys_days(from)};
  const Timestamp end{std::chrono::sys_days(to) + std::chrono::days(1)};  // exclusive
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto lots, tx->ledger().Lots());
  KC_ASSIGN_OR_RETURN(auto all, tx->ledger().AllEntries());
  KC_ASSIGN_OR_RETURN(auto discrepancies, tx->ledger().Discrepancies());
  KC_RETURN_IF_ERROR(tx->Commit());
  const Timestamp now = env_.clock.Now();
  LedgerReport report;
  report.from = from;
  report.to = to;
  report.retention_years = static_cast<int>(env_.settings.Get().Get(ledger::kRetentionYears));
  auto by_lot = ByLot(std::move(all));
  std::map<std::string, std::string> numbers;
  std::vector<const Entry*> named;
  for (const auto& lot : lots) {
    numbers[lot.id] = lot.lot_number;
    if (lot.received_at >= end) continue;  // received after the period
    const auto& entries = by_lot[lot.id];
    ReportLot r;
    std::vector<Entry> upto;
    std::set<std::string> sessions;
    double opening = 0;
    for (const auto& e : entries) {
      if (e.at < start) {
        opening += ledger::BalanceEffect(e).value();
      } else if (e.at < end) {
        r.entries.push_back(e);
        if (!e.session_id.empty()) sessions.insert(e.session_id);
      }
      if (e.at < end) upto.push_back(e);
    }
    r.opening = Milligrams(opening);
    r.closing = ledger::DerivedBalance(upto);
    for (const auto& e : r.entries) {
      const double a = e.amount_mg.value();
      auto add = [a](Milligrams& m) { m = Milligrams(m.value() + a); };
      switch (e.kind) {
        case EntryKind::kReceipt:
          add(r.received);
          break;
        case EntryKind::kDraw:
          add(r.drawn);
          break;
        case EntryKind::kAdminister:
          add(r.administered);
          break;
        case EntryKind::kWaste:
          add(r.wasted);
          break;
        case EntryKind::kReturn:
          add(r.returned);
          break;
        case EntryKind::kTransferOut:
          add(r.transferred);
          break;
        case EntryKind::kAdjustment:
          add(r.adjusted);
          break;
        case EntryKind::kCount:
          break;
      }
    }
    // A session's custody over all its entries of this lot up to the end of the period.
    std::vector<Entry> session_entries;
    for (const auto& e : upto) {
      if (sessions.count(e.session_id)) session_entries.push_back(e);
    }
    r.sessions = ledger::Custody(session_entries);
    r.lot = MakeView(lot, upto, now);
    r.lot.balance = r.closing;
    r.lot.balance_ml = ledger::ToMilliliters(lot, r.closing);
    report.lots.push_back(std::move(r));
  }
  for (const auto& r : report.lots) {
    for (const auto& e : r.entries) named.push_back(&e);
  }
  for (auto& d : discrepancies) {
    if (d.open()) report.open_discrepancies.push_back(MakeDiscrepancyView(d, numbers, now));
  }
  {
    std::set<std::string> session_ids;
    for (const auto& r : report.lots) {
      for (const auto& c : r.sessions) session_ids.insert(c.session_id);
      for (const auto& e : r.entries) {
        if (!e.session_id.empty()) session_ids.insert(e.session_id);
      }
    }
    KC_ASSIGN_OR_RETURN(auto labels_tx, env_.store.Begin(domain::TxMode::kSnapshot));
    KC_ASSIGN_OR_RETURN(report.sessions, LabelSessions(*labels_tx, session_ids));
    KC_RETURN_IF_ERROR(labels_tx->Commit());
  }
  auto events = ReadEvents(env_, actor, "ledger.report", named);
  events.push_back(MakeEvent(env_, actor, "ledger.report", "ledger", "success", "",
                             FormatDate(from) + ".." + FormatDate(to)));
  KC_RETURN_IF_ERROR(env_.audit.AppendAll(std::move(events)));
  return report;
}

Result<Inventory> LedgerService::TakeInventory(const Actor& actor, std::string kind,
                                               std::chrono::year_month_day date, std::string time) {
  KC_RETURN_IF_ERROR(RequireRole(env_, actor, Permission::kLedgerWrite, "ledger.inventory"));
  // CLINICAL.md §7: initial and biennial inventory, dated, at the opening or close of business.
  if (kind != "initial" && kind != "biennial") {
    return InvalidArgument("kind", "must be initial or biennial");
  }
  if (!date.ok()) return InvalidArgument("at", "must be a date YYYY-MM-DD");
  if (time != "opening" && time != "close") {
    return InvalidArgument("time", "must be opening or close");
  }
  Inventory inv;
  inv.kind = kind;
  inv.date = date;
  inv.time = time;
  inv.taken_by = actor.username;
  KC_ASSIGN_OR_RETURN(auto tx, env_.store.Begin(domain::TxMode::kSnapshot));
  // The clinic's day, in its zone: the close of business on Dec 7 in New York is midnight there,
  // not midnight UTC (which is 7 PM in New York, before an evening's receipt).
  KC_ASSIGN_OR_RETURN(auto config, tx->schedule().Config());
  KC_ASSIGN_OR_RETURN(
      inv.as_of,
      domain::schedule::LocalToUtc(
          config.time_zone, {std::chrono::year_month_day(
                                 std::chrono::sys_days(date) +
                                 (time == "close" ? std::chrono::days(1) : std::chrono::days(0))),
                             std::chrono::minutes(0)}));
  KC_ASSIGN_OR_RETURN(auto lots, tx->ledger().Lots());
  KC_ASSIGN_OR_RETURN(auto all, tx->ledger().AllEntries());
  KC_RETURN_IF_ERROR(tx->Commit());
  auto by_lot = ByLot(std::move(all));
  for (const auto& lot : lots) {
    if (lot.received_at >= inv.as_of) continue;
    std::vector<Entry> upto;
    for (const auto& e : by_lot[lot.id]) {
      if (e.at < inv.as_of) upto.push_back(e);
    }
    InventoryLine line;
    line.lot = MakeView(lot, upto, inv.as_of);
    line.balance = line.lot.balance;
    const double vial = lot.strength.value() * lot.vial_volume.value();
    line.full_vials = vial > 0 ? line.balance.value() / vial : 0;
    inv.lines.push_back(std::move(line));
  }
  KC_RETURN_IF_ERROR(env_.audit.Append(MakeEvent(env_, &actor, "ledger.inventory", "ledger",
                                                 "success", "", kind + " " + FormatDate(date))));
  return inv;
}

}  // namespace kclinic::app
