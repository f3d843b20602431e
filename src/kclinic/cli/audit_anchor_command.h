// `kclinic audit keygen --to FILE` and `kclinic audit verify --anchors LOG --public-key FILE`
// (issue 22 item 13): the key that signs the audit chain's anchors, and the check of a database
// against an anchor log (app/audit_anchor.h).
#pragma once

#include <string>

namespace kclinic::cli {

// Writes a fresh Ed25519 key: its seed to `to` (mode 0600, never over another file) and its
// public key to `to`.pub (mode 0644); prints the public key and its id. Exit 0, 1 or 2.
int AuditKeygen(const std::string& to);

// Checks the trail of the database at `db` (its chain, as `audit verify` does) and against every
// anchor in the log at `anchors`, verified with the public key in `public_key_file`. Exit 0 when
// consistent, 1 when tampering is found (what and how many events are missing), 2 for bad input
// (a missing file, a wrong key; the message names the option).
int AuditVerifyAnchors(const std::string& db, const std::string& anchors,
                       const std::string& public_key_file, bool as_json);

}  // namespace kclinic::cli
