#include "kclinic/app/audit_anchor.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace kclinic::app {

namespace {

constexpr int kAnchorFormat = 1;

// What the signature covers: every field but the signature, each on a line of its own after a
// name of the format, so no field can be read as another.
std::string AnchorSignedText(const AuditAnchor& a) {
  return "kclinic-audit-anchor-v1\n" + std::to_string(a.seq) + "\n" + a.head_hash + "\n" +
         FormatTimestamp(a.at) + "\n" + a.key_id + "\n" + (a.after_rollback ? "1" : "0") + "\n";
}

Timestamp WholeSeconds(Timestamp t) { return std::chrono::floor<std::chrono::seconds>(t); }

std::string LineName(int line) { return "the anchor on line " + std::to_string(line); }

}  // namespace

AuditAnchor SignAnchor(const SigningKey& key, int64_t seq, std::string head_hash, Timestamp at,
                       bool after_rollback) {
  AuditAnchor a;
  a.seq = seq;
  a.head_hash = std::move(head_hash);
  a.at = WholeSeconds(at);
  a.key_id = SigningKeyId(key.public_key());
  a.after_rollback = after_rollback;
  a.signature = HexEncode(key.Sign(AnchorSignedText(a)));
  return a;
}

bool AnchorSignatureValid(const AuditAnchor& anchor, std::string_view public_key) {
  auto signature = HexDecode(anchor.signature);
  return signature && anchor.key_id == SigningKeyId(public_key) &&
         VerifySignature(public_key, AnchorSignedText(anchor), *signature);
}

std::string FormatAnchorLine(const AuditAnchor& a) {
  nlohmann::ordered_json j = {{"anchor", kAnchorFormat},
                              {"seq", a.seq},
                              {"head", a.head_hash},
                              {"at", FormatTimestamp(a.at)},
                              {"key_id", a.key_id}};
  if (a.after_rollback) j["after_rollback"] = true;
  j["sig"] = a.signature;
  return j.dump();
}

Result<AuditAnchor> ParseAnchorLine(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return FailedPrecondition("it is not a JSON object");
  if (!j.contains("anchor") || j["anchor"] != kAnchorFormat) {
    return FailedPrecondition("it is not an anchor of format 1");
  }
  auto text = [&](const char* name) -> const std::string* {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  const std::string *head = text("head"), *at = text("at"), *key_id = text("key_id"),
                    *sig = text("sig");
  if (!j.contains("seq") || !j["seq"].is_number_integer() || j["seq"].get<int64_t>() < 0) {
    return FailedPrecondition("its seq is not a count of events");
  }
  if (!head || head->size() != 64 || !HexDecode(*head)) {
    return FailedPrecondition("its head is not a SHA-256 in hex");
  }
  if (!key_id || !sig) return FailedPrecondition("it lacks its key_id or its signature");
  auto parsed_at = at ? ParseTimestamp(*at) : std::nullopt;
  if (!parsed_at) return FailedPrecondition("its time is not a timestamp");
  if (j.contains("after_rollback") && !j["after_rollback"].is_boolean()) {
    return FailedPrecondition("its after_rollback is not true or false");
  }
  AuditAnchor a;
  a.seq = j["seq"].get<int64_t>();
  a.head_hash = *head;
  a.at = *parsed_at;
  a.key_id = *key_id;
  a.after_rollback = j.value("after_rollback", false);
  a.signature = *sig;
  return a;
}

Result<AuditAnchor> AnchorHead(domain::Store& store, const SigningKey& key, const Clock& clock,
                               bool after_rollback) {
  KC_ASSIGN_OR_RETURN(auto tx, store.Begin(domain::TxMode::kRead));
  KC_ASSIGN_OR_RETURN(auto head, tx->audit().Head());
  return SignAnchor(key, head.first, head.second, clock.Now(), after_rollback);
}

Result<AnchorStanding> CompareWithAnchor(domain::Store& store, const AuditAnchor& anchor) {
  KC_ASSIGN_OR_RETURN(auto tx, store.Begin(domain::TxMode::kSnapshot));
  KC_ASSIGN_OR_RETURN(auto head, tx->audit().Head());
  AnchorStanding out;
  out.database_seq = head.first;
  if (anchor.seq > head.first) {
    out.events_missing = anchor.seq - head.first;
    return out;
  }
  if (anchor.seq == 0) {
    out.diverged = anchor.head_hash != domain::kGenesisHash;
    return out;
  }
  KC_ASSIGN_OR_RETURN(auto events, tx->audit().Scan(anchor.seq - 1, 1));
  out.diverged =
      events.empty() || events[0].seq != anchor.seq || events[0].hash != anchor.head_hash;
  return out;
}

Result<AnchorVerification> VerifyAnchors(domain::Store& store,
                                         const std::vector<std::string>& lines,
                                         std::string_view public_key) {
  AnchorVerification out;
  const std::string key_id = SigningKeyId(public_key);
  struct Valid {
    int line;
    AuditAnchor anchor;
  };
  std::vector<Valid> valid;
  int parsed = 0, ours = 0, line_no = 0;
  std::vector<std::string> foreign;
  std::string foreign_id;
  for (const std::string& line : lines) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto anchor = ParseAnchorLine(line);
    if (!anchor.ok()) {
      out.problems.push_back("line " + std::to_string(line_no) +
                             " of the anchor log is not an anchor (" + anchor.status().message() +
                             "): the log was edited or damaged");
      continue;
    }
    ++parsed;
    if (anchor->key_id != key_id) {
      if (foreign_id.empty()) foreign_id = anchor->key_id;
      foreign.push_back(LineName(line_no) + " was signed by another key (key id " + anchor->key_id +
                        ")");
      continue;
    }
    ++ours;
    if (!AnchorSignatureValid(*anchor, public_key)) {
      out.problems.push_back(LineName(line_no) + " (event " + std::to_string(anchor->seq) +
                             ") has a signature that does not verify: the line was changed or "
                             "forged");
      continue;
    }
    valid.push_back({line_no, std::move(anchor).value()});
  }
  if (parsed == 0 && out.problems.empty()) {
    return InvalidArgument("anchors", "holds no anchors");
  }
  if (parsed > 0 && ours == 0) {
    return InvalidArgument("public-key",
                           "verifies none of the log's anchors: they were signed by "
                           "key id " +
                               foreign_id + ", this key's id is " + key_id);
  }
  out.problems.insert(out.problems.end(), foreign.begin(), foreign.end());

  // Only the anchors since the last rollback an operator accepted describe this history.
  size_t from = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i].anchor.after_rollback) from = i;
  }
  if (from > 0 || (!valid.empty() && valid[0].anchor.after_rollback)) {
    int64_t given_up = 0;
    for (size_t i = 0; i < from; ++i) given_up = std::max(given_up, valid[i].anchor.seq);
    out.notes.push_back("a rollback was accepted at " + LineName(valid[from].line) +
                        ": the server started again from event " +
                        std::to_string(valid[from].anchor.seq) +
                        (given_up > valid[from].anchor.seq
                             ? " after anchors up to event " + std::to_string(given_up) +
                                   "; the anchors before it were checked for their signatures only"
                             : std::string()));
  }

  std::map<int64_t, std::string> stored;  // seq -> the hash the database holds there
  for (size_t i = from; i < valid.size(); ++i) stored.emplace(valid[i].anchor.seq, "");
  KC_ASSIGN_OR_RETURN(out.chain, VerifyAuditTrail(store, [&](const domain::AuditEvent& e) {
                        auto it = stored.find(e.seq);
                        if (it != stored.end()) it->second = e.hash;
                      }));
  out.database_seq = out.chain.events_checked;

  int missing_line = 0, diverged_line = 0;
  for (size_t i = from; i < valid.size(); ++i) {
    const AuditAnchor& a = valid[i].anchor;
    ++out.anchors_checked;
    if (a.seq > out.anchored_seq) {
      out.anchored_seq = a.seq;
      missing_line = valid[i].line;
    }
    if (a.seq > out.database_seq) continue;
    const std::string& held = a.seq == 0 ? std::string(domain::kGenesisHash) : stored[a.seq];
    if (held == a.head_hash) {
      out.agrees_to = std::max(out.agrees_to, a.seq);
    } else if (!out.first_diverged_seq || a.seq < *out.first_diverged_seq) {
      out.first_diverged_seq = a.seq;
      diverged_line = valid[i].line;
    }
  }
  out.events_missing = std::max<int64_t>(0, out.anchored_seq - out.database_seq);
  if (out.events_missing > 0) {
    out.problems.push_back(
        std::to_string(out.events_missing) +
        " audit event(s) are missing: " + LineName(missing_line) + " recorded " +
        std::to_string(out.anchored_seq) + " events, and the database's trail " +
        (out.chain.first_bad_seq ? "verifies only to event " : "holds ") +
        std::to_string(out.database_seq) +
        " (events were cut off the end of the trail, or the database was rolled back to an "
        "older copy)");
  }
  if (out.first_diverged_seq) {
    out.problems.push_back("the trail was replaced after event " + std::to_string(out.agrees_to) +
                           ": " + LineName(diverged_line) + " recorded a different event " +
                           std::to_string(*out.first_diverged_seq) +
                           " (the database was rolled back and has recorded new events since, "
                           "or its events were rewritten)");
  }
  return out;
}

}  // namespace kclinic::app
