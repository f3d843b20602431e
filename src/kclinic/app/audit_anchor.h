// Anchors of the audit chain (issue 22 item 13): the chain's head (how many events, the hash of
// the last), signed with an Ed25519 key kept apart from the database and appended to a log kept
// apart from it too. The chain alone shows an event edited, inserted or taken out of the middle;
// events cut off its end with the head moved back, or the whole database rolled back to an older
// copy, leave a shorter chain that is still whole. A signed anchor the database no longer reaches
// shows both, and how many events are missing. The log's file handling is the caller's
// (cli/server_tasks.h, `kclinic audit verify --anchors`); here are the anchor, its one-line form
// and its signature, and the checks of a database against anchors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kclinic/app/audit.h"
#include "kclinic/base/clock.h"
#include "kclinic/base/signing.h"
#include "kclinic/domain/ports.h"

namespace kclinic::app {

struct AuditAnchor {
  int64_t seq = 0;        // the events in the trail when it was signed: the head's seq
  std::string head_hash;  // the hash of event `seq` (kGenesisHash when seq is 0)
  Timestamp at;           // when it was signed (microseconds are dropped: the line holds text)
  std::string key_id;     // SigningKeyId of the public key that verifies it
  // The server was told to start on a database behind the anchors before this one (a restore
  // the operator chose): those earlier anchors describe a history given up, not this one.
  bool after_rollback = false;
  std::string signature;  // hex, kSignatureBytes bytes
};

// Signs the head (seq, head_hash) as of `at`.
AuditAnchor SignAnchor(const SigningKey& key, int64_t seq, std::string head_hash, Timestamp at,
                       bool after_rollback = false);
// True when `anchor` was signed by `public_key` (raw bytes) and not changed since.
bool AnchorSignatureValid(const AuditAnchor& anchor, std::string_view public_key);

// The anchor as one line of JSON, without the newline:
// {"anchor":1,"seq":N,"head":"HEX","at":"2026-...Z","key_id":"HEX16","after_rollback":true?,
//  "sig":"HEX"}.
std::string FormatAnchorLine(const AuditAnchor& anchor);
// Reads a line made by FormatAnchorLine. FailedPrecondition saying what is wrong when it is not
// one (the signature is not checked here).
Result<AuditAnchor> ParseAnchorLine(std::string_view line);

// The head of `store`'s trail, signed now.
Result<AuditAnchor> AnchorHead(domain::Store& store, const SigningKey& key, const Clock& clock,
                               bool after_rollback = false);

// Where a database stands against one anchor.
struct AnchorStanding {
  int64_t database_seq = 0;  // the database's chain head
  // Events the anchor recorded that the database no longer has (anchor seq - database seq when
  // the database is behind; 0 otherwise).
  int64_t events_missing = 0;
  // The database has an event at the anchor's seq but it is not the anchored one: the trail was
  // replaced from some event on (a rollback followed by new events).
  bool diverged = false;
  bool consistent() const { return events_missing == 0 && !diverged; }
};
// Reads the head and the event at the anchor's seq (one snapshot). What the server checks the
// last anchor against before it serves.
Result<AnchorStanding> CompareWithAnchor(domain::Store& store, const AuditAnchor& anchor);

// The check of a whole anchor log against a database (`kclinic audit verify --anchors`).
struct AnchorVerification {
  AuditVerification chain;  // the hash chain itself (VerifyAuditTrail)
  int64_t anchors_checked = 0;
  int64_t database_seq = 0;    // events in the database's chain (as far as it verifies)
  int64_t anchored_seq = 0;    // the highest seq an anchor in force recorded
  int64_t events_missing = 0;  // anchored_seq - database_seq when positive
  // The highest anchored seq the database still holds exactly (0 when none), and the lowest one
  // it holds a different event at: the trail was replaced after `agrees_to`.
  int64_t agrees_to = 0;
  std::optional<int64_t> first_diverged_seq;
  // What is wrong, each in a person's words: lines that are not anchors or whose signature does
  // not verify, events missing, a replaced trail. Empty when everything is consistent.
  std::vector<std::string> problems;
  // What is not wrong but should be known: rollbacks an operator accepted.
  std::vector<std::string> notes;
  bool ok() const { return problems.empty() && !chain.first_bad_seq; }
};
// Checks every line of the log (`lines`, in file order; blank ones skipped): its form, its
// signature by `public_key`, and the database's trail against it, in one pass over the trail.
// Anchors before the last one marked after_rollback are checked for form and signature only.
// InvalidArgument (field "public-key") when no anchor names this key's id at all (the wrong key
// was given), or (field "anchors") when the log holds no line; Unavailable/Internal from the
// store.
Result<AnchorVerification> VerifyAnchors(domain::Store& store,
                                         const std::vector<std::string>& lines,
                                         std::string_view public_key);

}  // namespace kclinic::app
