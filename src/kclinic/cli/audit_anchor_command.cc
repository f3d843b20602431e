#include "kclinic/cli/audit_anchor_command.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kclinic/app/audit_anchor.h"
#include "kclinic/base/signing.h"
#include "kclinic/cli/key_file.h"
#include "kclinic/cli/server_tasks.h"
#include "kclinic/cli/tools.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::cli {

int AuditKeygen(const std::string& to) {
  const std::string pub = to + ".pub";
  std::error_code ec;
  if (std::filesystem::exists(pub, ec)) {
    return ToolFail(InvalidArgument("to", "has a public key beside it (" + pub +
                                              ") already: remove it or choose another name"),
                    false);
  }
  SigningKey key = SigningKey::Generate();
  if (Status s = CreateKeyFile(to, key.seed()); !s.ok()) return ToolFail(s, false);
  if (Status s = CreateKeyFile(pub, key.public_key(), 0644); !s.ok()) return ToolFail(s, false);
  std::cout << "anchor signing key written (mode 0600); keep it away from the database and its "
               "backups\npublic key (written to "
            << pub << "): " << HexEncode(key.public_key())
            << "\nkey id: " << SigningKeyId(key.public_key()) << "\n";
  return 0;
}

int AuditVerifyAnchors(const std::string& db, const std::string& anchors,
                       const std::string& public_key_file, bool as_json) {
  if (public_key_file.empty()) {
    return ToolFail(InvalidArgument("public-key",
                                    "is required with --anchors: the KEY.pub that "
                                    "`kclinic audit keygen` wrote"),
                    as_json);
  }
  auto public_key = ReadKeyFile(public_key_file, "public-key", kSigningPublicKeyBytes,
                                /*secret=*/false, "an anchor public key (KEY.pub)");
  if (!public_key.ok()) return ToolFail(public_key.status(), as_json);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(anchors, ec)) {
    return ToolFail(InvalidArgument("anchors", "names no file"), as_json);
  }
  auto lines = ReadAnchorLog(anchors);
  if (!lines.ok()) return ToolFail(InvalidArgument("anchors", lines.status().message()), as_json);
  auto store = store::OpenStore({db, 2});
  if (!store.ok()) return ToolFail(store.status(), as_json);
  auto result = app::VerifyAnchors(**store, *lines, *public_key);
  if (!result.ok()) return ToolFail(result.status(), as_json);
  const app::AnchorVerification& v = *result;
  if (as_json) {
    nlohmann::ordered_json j = {{"ok", v.ok()},
                                {"events_checked", v.chain.events_checked},
                                {"anchors_checked", v.anchors_checked},
                                {"anchored_seq", v.anchored_seq},
                                {"events_missing", v.events_missing}};
    if (v.chain.first_bad_seq) {
      j["first_bad_seq"] = *v.chain.first_bad_seq;
      j["chain_problem"] = v.chain.problem;
    }
    if (v.first_diverged_seq) {
      j["first_diverged_seq"] = *v.first_diverged_seq;
      j["agrees_to"] = v.agrees_to;
    }
    j["problems"] = v.problems;
    j["notes"] = v.notes;
    std::cout << j.dump() << "\n";
    return v.ok() ? 0 : 1;
  }
  if (v.chain.first_bad_seq) {
    std::cout << "audit trail BROKEN at event " << *v.chain.first_bad_seq << ": " << v.chain.problem
              << " (" << v.chain.events_checked << " events before it verified)\n";
  }
  for (const auto& p : v.problems) std::cout << "TAMPERING: " << p << "\n";
  for (const auto& n : v.notes) std::cout << "note: " << n << "\n";
  if (v.ok()) {
    std::cout << "audit trail intact and anchored: " << v.chain.events_checked
              << " events verified against " << v.anchors_checked << " signed anchor(s)\n";
  }
  return v.ok() ? 0 : 1;
}

}  // namespace kclinic::cli
