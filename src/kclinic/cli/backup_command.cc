// `kclinic backup --db URL --to FILE [--key-file KEYFILE]`, `kclinic backup keygen --to KEYFILE`,
// `kclinic backup verify FILE [--key-file KEYFILE] [--json]` and
// `kclinic restore --from FILE --db URL [--key-file KEYFILE]` (issue 22 item 12): backups that
// prove themselves. The snapshot, its checks and the restore are store/backup.h's; this file
// packages the snapshot as one file and reads it back.
//
// The file (format 1) is three lines and the payload:
//
//   kclinic-backup 1\n
//   {manifest JSON on one line}\n
//   sha256:<hex SHA-256 of the manifest line>\n
//   <payload: manifest.payload.bytes bytes>
//
// The payload is a SQLite database of the SQLite schema, whichever back end it came from, as is
// or encrypted with libsodium's secretstream (XChaCha20-Poly1305): the 24-byte stream header,
// then chunks, each a 4-byte big-endian length and the ciphertext of up to 64 KiB, the last one
// tagged final. The first chunk authenticates the manifest without its "payload" member as
// associated data, so with a key, a changed manifest does not decrypt either. The manifest holds
// no patient data (counts, the audit head's hash, times, versions), so it stays in the clear.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kclinic/app/audit.h"
#include "kclinic/base/clock.h"
#include "kclinic/base/crypto.h"
#include "kclinic/base/stream_crypto.h"
#include "kclinic/cli/backup_command.h"
#include "kclinic/cli/key_file.h"
#include "kclinic/cli/tools.h"
#include "kclinic/store/backup.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::cli {

namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kBackupMagic = "kclinic-backup 1";
constexpr int kBackupFormatVersion = 1;
constexpr size_t kBackupPlainChunk = 64 * 1024;
constexpr size_t kBackupMaxManifest = 1 << 20;
constexpr std::string_view kBackupCipherName = "xchacha20poly1305-secretstream";

struct BackupOptions {
  CLI::App* backup = nullptr;
  CLI::App* keygen = nullptr;
  CLI::App* verify = nullptr;
  CLI::App* restore = nullptr;
  std::string db = "sqlite:var/kclinic.db";
  std::string to, key_file, keygen_to, verify_file, verify_key_file, from, restore_db,
      restore_key_file;
  bool json = false;
};

// A private directory for the payload while it is made or checked (mode 0700: it holds health
// data in the clear), removed with everything in it.
class BackupScratch {
 public:
  static Result<BackupScratch> Create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "kclinic-backup-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      return Status(StatusCode::kUnavailable, "cannot make a scratch directory in " +
                                                  base.string() + ": " + std::strerror(errno));
    }
    return BackupScratch(pattern);
  }
  BackupScratch(BackupScratch&& o) noexcept : dir_(std::move(o.dir_)) { o.dir_.clear(); }
  BackupScratch& operator=(BackupScratch&&) = delete;
  ~BackupScratch() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string Path(const char* name) const { return (fs::path(dir_) / name).string(); }
  const std::string& dir() const { return dir_; }

 private:
  explicit BackupScratch(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// Reads the key: 64 hex digits (what `backup keygen` writes) or 32 raw bytes.
Result<std::string> ReadBackupKey(const std::string& path, const char* field) {
  return ReadKeyFile(path, field, kStreamKeyBytes, /*secret=*/true,
                     "a backup key (from `kclinic backup keygen`)");
}

// 12345 -> "12,345".
std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// "7 December 2026 18:20 UTC".
std::string HumanTime(const std::string& timestamp) {
  auto t = ParseTimestamp(timestamp);
  if (!t) return "at an unknown time";
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  auto day = std::chrono::floor<std::chrono::days>(*t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::minutes>(*t - day)};
  char buf[96];
  std::snprintf(buf, sizeof buf, "%u %s %d %02d:%02d UTC", static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= (1u << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f kB", static_cast<double>(bytes) / 1e3);
  }
  return buf;
}

// The manifest without its "payload" member: what the first encrypted chunk authenticates.
std::string ManifestCore(ordered_json manifest) {
  manifest.erase("payload");
  return manifest.dump();
}

// Encrypts (or copies) the snapshot at `plain_path` to `out_path`, returning its SHA-256.
Result<std::string> WritePayload(const std::string& plain_path, const std::string& out_path,
                                 const std::string* key, const std::string& core) {
  std::ifstream in(plain_path, std::ios::binary);
  if (!in) return Errno("read the snapshot");
  int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("write the payload");
  Sha256Stream sha;
  auto put = [&](std::string_view bytes) -> Status {
    sha.Update(bytes);
    return WriteAll(fd, bytes);
  };
  Status status = [&]() -> Status {
    std::error_code ec;
    uint64_t size = fs::file_size(plain_path, ec);
    if (ec) return Errno("size the snapshot");
    std::unique_ptr<StreamEncryptor> enc;
    if (key) {
      KC_ASSIGN_OR_RETURN(enc, StreamEncryptor::Create(*key));
      KC_RETURN_IF_ERROR(put(enc->header()));
    }
    std::string buf(kBackupPlainChunk, '\0');
    uint64_t done = 0;
    bool first = true;
    do {
      size_t n = static_cast<size_t>(std::min<uint64_t>(kBackupPlainChunk, size - done));
      if (!in.read(buf.data(), static_cast<std::streamsize>(n))) return Errno("read the snapshot");
      done += n;
      std::string_view plain(buf.data(), n);
      if (!enc) {
        KC_RETURN_IF_ERROR(put(plain));
        continue;
      }
      std::string cipher = enc->Push(plain, first ? std::string_view(core) : "", done == size);
      first = false;
      unsigned char len[4] = {static_cast<unsigned char>(cipher.size() >> 24),
                              static_cast<unsigned char>(cipher.size() >> 16),
                              static_cast<unsigned char>(cipher.size() >> 8),
                              static_cast<unsigned char>(cipher.size())};
      KC_RETURN_IF_ERROR(put(std::string_view(reinterpret_cast<char*>(len), 4)));
      KC_RETURN_IF_ERROR(put(cipher));
    } while (done < size);
    return Status::Ok();
  }();
  ::close(fd);
  if (!status.ok()) return status;
  return sha.FinishHex();
}

ordered_json TablesJson(const store::SnapshotSummary& s) {
  ordered_json tables = ordered_json::object();
  for (const auto& t : s.tables) tables[t.table] = t.rows;
  return tables;
}

}  // namespace

Result<BackupFileWritten> WriteBackupFile(const std::string& db, const std::string& to,
                                          const std::string& key_file) {
  if (to.empty()) return InvalidArgument("to", "is required: the file to write");
  std::error_code ec;
  if (fs::exists(to, ec)) {
    return InvalidArgument("to", "already exists: a backup never replaces another");
  }
  std::optional<std::string> key;
  if (!key_file.empty()) {
    KC_ASSIGN_OR_RETURN(key, ReadBackupKey(key_file, "key-file"));
  }
  auto started = std::chrono::steady_clock::now();
  KC_ASSIGN_OR_RETURN(auto scratch, BackupScratch::Create());
  // Every write acknowledged before this moment is in the snapshot, which begins after it.
  std::string created_at = FormatTimestamp(SystemClock::Get().Now());
  KC_ASSIGN_OR_RETURN(auto summary, store::SnapshotToSqlite(db, scratch.Path("snapshot.db")));

  ordered_json manifest = {
      {"format", "kclinic-backup"},
      {"format_version", kBackupFormatVersion},
      {"kclinic_version", KCLINIC_VERSION},
      {"source_backend", summary.source_backend},
      {"schema_version", summary.schema_version},
      {"created_at", created_at},
      {"tables", TablesJson(summary)},
      {"audit_head", {{"seq", summary.audit_seq}, {"hash", summary.audit_hash}}},
  };
  std::string core = ManifestCore(manifest);
  KC_ASSIGN_OR_RETURN(std::string sha,
                      WritePayload(scratch.Path("snapshot.db"), scratch.Path("payload"),
                                   key ? &*key : nullptr, core));
  uint64_t payload_bytes = fs::file_size(scratch.Path("payload"), ec);
  manifest["payload"] = {{"format", "sqlite3"},
                         {"encryption", key ? std::string(kBackupCipherName) : "none"},
                         {"bytes", payload_bytes},
                         {"sha256", sha}};
  std::string line = manifest.dump();
  std::string head = std::string(kBackupMagic) + "\n" + line + "\nsha256:" + Sha256Hex(line) + "\n";

  // FILE.tmp, synced, renamed over FILE, and the directory synced: a crash leaves either no
  // FILE or the whole backup, never part of one under the final name.
  std::string tmp = to + ".tmp";
  Status written = [&]() -> Status {
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Errno("create " + tmp);
    ::fchmod(fd, 0600);  // also when a stale FILE.tmp of another mode was there
    Status s = WriteAll(fd, head);
    std::ifstream payload(scratch.Path("payload"), std::ios::binary);
    std::string buf(1 << 20, '\0');
    while (s.ok() && payload) {
      payload.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (payload.gcount() > 0) s = WriteAll(fd, std::string_view(buf.data(), payload.gcount()));
    }
    if (s.ok() && ::fsync(fd) != 0) s = Errno("fsync " + tmp);
    if (::close(fd) != 0 && s.ok()) s = Errno("close " + tmp);
    if (s.ok() && std::rename(tmp.c_str(), to.c_str()) != 0) s = Errno("rename " + tmp);
    if (s.ok()) s = SyncParentDir(to);
    return s;
  }();
  if (!written.ok()) {
    fs::remove(tmp, ec);
    return written;
  }
  BackupFileWritten out;
  out.summary = std::move(summary);
  out.bytes = head.size() + payload_bytes;
  out.encrypted = key.has_value();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

namespace {

int RunBackup(const BackupOptions& o) {
  auto written = WriteBackupFile(o.db, o.to, o.key_file);
  if (!written.ok()) return ToolFail(written.status(), false);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f s", written->seconds);
  const store::SnapshotSummary& summary = written->summary;
  std::cout << "backup written: " << Thousands(summary.RowsOf("audit_events")) << " audit events, "
            << Thousands(summary.RowsOf("patients")) << " patients, " << HumanBytes(written->bytes)
            << (written->encrypted ? ", encrypted" : ", not encrypted") << ", from "
            << summary.source_backend << " in " << secs << "\n";
  return 0;
}

int RunKeygen(const BackupOptions& o) {
  if (o.keygen_to.empty()) {
    return ToolFail(InvalidArgument("to", "is required: the key file to write"), false);
  }
  if (Status s = CreateKeyFile(o.keygen_to, RandomBytes(kStreamKeyBytes)); !s.ok()) {
    return ToolFail(s, false);
  }
  std::cout << "backup key written (mode 0600); keep a copy away from the backups: without it "
               "they cannot be read\n";
  return 0;
}

// A backup file read back and checked, its payload restored in the scratch directory.
struct VerifiedBackup {
  ordered_json manifest;
  store::SnapshotSummary summary;
  int64_t audit_events_verified = 0;
  std::string snapshot_path;
};

Status BackupDamaged(const std::string& why) { return FailedPrecondition(why); }

Result<VerifiedBackup> ReadBackup(const std::string& path, const char* file_field,
                                  const std::string& key_file, const char* key_field,
                                  const BackupScratch& scratch) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return InvalidArgument(file_field, "names no file");
  uint64_t file_size = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(file_field, "cannot be read");

  // The three lines.
  std::string prefix(static_cast<size_t>(std::min<uint64_t>(file_size, kBackupMaxManifest + 256)),
                     '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  size_t nl1 = prefix.find('\n');
  if (nl1 == std::string::npos || std::string_view(prefix).substr(0, nl1) != kBackupMagic) {
    return BackupDamaged("not a kclinic backup (format 1): its first line is not \"" +
                         std::string(kBackupMagic) + "\"");
  }
  size_t nl2 = prefix.find('\n', nl1 + 1);
  size_t nl3 = nl2 == std::string::npos ? nl2 : prefix.find('\n', nl2 + 1);
  if (nl3 == std::string::npos) {
    return BackupDamaged("the file is truncated: it ends inside the manifest");
  }
  std::string line = prefix.substr(nl1 + 1, nl2 - nl1 - 1);
  std::string line_sum = prefix.substr(nl2 + 1, nl3 - nl2 - 1);
  if (line_sum != "sha256:" + Sha256Hex(line)) {
    return BackupDamaged(
        "the manifest checksum (SHA-256) does not match: the manifest was changed");
  }
  ordered_json manifest = ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!manifest.is_object() || manifest.value("format", "") != "kclinic-backup" ||
      !manifest.contains("payload") || !manifest["payload"].is_object() ||
      !manifest.contains("tables") || !manifest["tables"].is_object() ||
      !manifest.contains("audit_head") || !manifest["audit_head"].is_object()) {
    return BackupDamaged("the manifest is not a kclinic backup manifest");
  }
  if (manifest.value("format_version", 0) != kBackupFormatVersion) {
    return BackupDamaged("the backup's format version is not 1: use the kclinic that wrote it");
  }
  const ordered_json& payload = manifest["payload"];
  const uint64_t offset = nl3 + 1;
  const uint64_t want = payload.value("bytes", uint64_t{0});
  if (file_size - offset < want) {
    return BackupDamaged("the file is truncated: the payload should be " + Thousands(want) +
                         " bytes, the file holds " + Thousands(file_size - offset));
  }
  if (file_size - offset > want) {
    return BackupDamaged("the file has " + Thousands(file_size - offset - want) +
                         " bytes after the payload");
  }
  const bool encrypted = payload.value("encryption", "none") != "none";
  if (encrypted && payload.value("encryption", "") != kBackupCipherName) {
    return BackupDamaged("the payload's encryption is not one this kclinic knows");
  }
  if (encrypted && key_file.empty()) {
    return InvalidArgument(key_field, "is required: the backup is encrypted");
  }
  if (!encrypted && !key_file.empty()) {
    return InvalidArgument(key_field, "was given, but the backup is not encrypted");
  }
  std::string key;
  if (encrypted) {
    KC_ASSIGN_OR_RETURN(key, ReadBackupKey(key_file, key_field));
  }

  // The checksum first: a changed byte is named as such, before any decryption.
  std::string buf(1 << 20, '\0');
  {
    Sha256Stream sha;
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    uint64_t left = want;
    while (left > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
      if (!in.read(buf.data(), static_cast<std::streamsize>(n))) {
        return Errno("read the backup");
      }
      sha.Update(std::string_view(buf.data(), n));
      left -= n;
    }
    if (sha.FinishHex() != payload.value("sha256", "")) {
      return BackupDamaged(
          "the payload checksum (SHA-256) does not match the manifest: the file was changed or "
          "damaged");
    }
  }

  // The payload, decrypted, into the scratch directory.
  VerifiedBackup out;
  out.snapshot_path = scratch.Path("restored.db");
  {
    int fd = ::open(out.snapshot_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Errno("write the scratch database");
    Status s = [&]() -> Status {
      in.clear();
      in.seekg(static_cast<std::streamoff>(offset));
      if (!encrypted) {
        uint64_t left = want;
        while (left > 0) {
          size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
          if (!in.read(buf.data(), static_cast<std::streamsize>(n))) return Errno("read");
          KC_RETURN_IF_ERROR(WriteAll(fd, std::string_view(buf.data(), n)));
          left -= n;
        }
        return Status::Ok();
      }
      if (want < kStreamHeaderBytes) return BackupDamaged("the encrypted payload is truncated");
      std::string header(kStreamHeaderBytes, '\0');
      in.read(header.data(), static_cast<std::streamsize>(header.size()));
      KC_ASSIGN_OR_RETURN(auto dec, StreamDecryptor::Create(key, header));
      uint64_t left = want - kStreamHeaderBytes;
      bool final = false, first = true;
      std::string core = ManifestCore(manifest);
      while (left > 0) {
        unsigned char len[4];
        if (left < 4 || !in.read(reinterpret_cast<char*>(len), 4)) {
          return BackupDamaged("the encrypted payload is damaged (a chunk is cut short)");
        }
        left -= 4;
        uint64_t n = (uint64_t{len[0]} << 24) | (uint64_t{len[1]} << 16) | (uint64_t{len[2]} << 8) |
                     uint64_t{len[3]};
        if (n > kBackupPlainChunk + kStreamChunkOverhead || n > left) {
          return BackupDamaged("the encrypted payload is damaged (a chunk length is wrong)");
        }
        std::string cipher(static_cast<size_t>(n), '\0');
        in.read(cipher.data(), static_cast<std::streamsize>(n));
        left -= n;
        KC_ASSIGN_OR_RETURN(std::string plain,
                            dec->Pull(cipher, first ? std::string_view(core) : "", final));
        first = false;
        KC_RETURN_IF_ERROR(WriteAll(fd, plain));
      }
      if (!final) return BackupDamaged("the encrypted payload ends before its last chunk");
      return Status::Ok();
    }();
    ::close(fd);
    if (!s.ok()) return s;
  }

  // The database inside: SQLite's own checks, then every count and the audit head against the
  // manifest, then the whole hash chain.
  KC_ASSIGN_OR_RETURN(out.summary, store::InspectSnapshot(out.snapshot_path));
  const ordered_json& tables = manifest["tables"];
  for (const auto& t : out.summary.tables) {
    if (!tables.contains(t.table)) {
      return BackupDamaged("the manifest does not list the backup's table " + t.table);
    }
  }
  for (const auto& [table, rows] : tables.items()) {
    int64_t got = out.summary.RowsOf(table);
    if (got < 0)
      return BackupDamaged("the backup has no table " + table + ", which the manifest lists");
    if (!rows.is_number_integer() || rows.get<int64_t>() != got) {
      return BackupDamaged("the manifest says table " + table + " holds " +
                           (rows.is_number_integer() ? Thousands(rows.get<int64_t>()) : "?") +
                           " rows; the backup holds " + Thousands(got));
    }
  }
  const ordered_json& head = manifest["audit_head"];
  if (head.value("seq", int64_t{-1}) != out.summary.audit_seq ||
      head.value("hash", "") != out.summary.audit_hash) {
    return BackupDamaged("the manifest's audit head does not match the backup's audit trail");
  }
  if (manifest.value("schema_version", -1) != out.summary.schema_version) {
    return BackupDamaged("the manifest's schema version does not match the backup's");
  }
  {
    KC_ASSIGN_OR_RETURN(auto store, store::OpenStore({"sqlite:" + out.snapshot_path, 2, false}));
    KC_ASSIGN_OR_RETURN(app::AuditVerification audit, app::VerifyAuditTrail(*store));
    if (audit.first_bad_seq) {
      return BackupDamaged("the backup's audit trail is broken at event " +
                           Thousands(*audit.first_bad_seq) + ": " + audit.problem);
    }
    if (audit.events_checked != out.summary.audit_seq) {
      return BackupDamaged("the backup's audit trail holds " + Thousands(audit.events_checked) +
                           " events; its head records " + Thousands(out.summary.audit_seq));
    }
    out.audit_events_verified = audit.events_checked;
  }
  out.manifest = std::move(manifest);
  return out;
}

}  // namespace

Result<BackupFileVerified> VerifyBackupFile(const std::string& path, const std::string& key_file) {
  KC_ASSIGN_OR_RETURN(auto scratch, BackupScratch::Create());
  KC_ASSIGN_OR_RETURN(auto backup, ReadBackup(path, "file", key_file, "key-file", scratch));
  BackupFileVerified out;
  out.audit_events = backup.audit_events_verified;
  out.patients = backup.summary.RowsOf("patients");
  out.created_at = backup.manifest.value("created_at", "");
  return out;
}

namespace {

int RunVerify(const BackupOptions& o) {
  auto scratch = BackupScratch::Create();
  if (!scratch.ok()) return ToolFail(scratch.status(), o.json);
  auto backup = ReadBackup(o.verify_file, "file", o.verify_key_file, "key-file", *scratch);
  if (!backup.ok()) return ToolFail(backup.status(), o.json);
  const ordered_json& m = backup->manifest;
  if (o.json) {
    ordered_json j = {{"ok", true},
                      {"format_version", m["format_version"]},
                      {"kclinic_version", m.value("kclinic_version", "")},
                      {"source_backend", m.value("source_backend", "")},
                      {"schema_version", m["schema_version"]},
                      {"created_at", m.value("created_at", "")},
                      {"encrypted", m["payload"].value("encryption", "none") != "none"},
                      {"payload_bytes", m["payload"]["bytes"]},
                      {"payload_sha256", m["payload"]["sha256"]},
                      {"tables", m["tables"]},
                      {"audit_head", m["audit_head"]},
                      {"audit_events_verified", backup->audit_events_verified}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "backup verified: " << Thousands(backup->audit_events_verified)
              << " audit events, " << Thousands(backup->summary.RowsOf("patients"))
              << " patients, taken " << HumanTime(m.value("created_at", "")) << "\n";
  }
  return 0;
}

int RunRestore(const BackupOptions& o) {
  if (o.restore_db.empty()) {
    return ToolFail(InvalidArgument("db", "is required: the database to restore into"), false);
  }
  auto scratch = BackupScratch::Create();
  if (!scratch.ok()) return ToolFail(scratch.status(), false);
  auto backup = ReadBackup(o.from, "from", o.restore_key_file, "key-file", *scratch);
  if (!backup.ok()) return ToolFail(backup.status(), false);
  auto restored = store::RestoreSnapshot(backup->snapshot_path, o.restore_db, scratch->dir());
  if (!restored.ok()) return ToolFail(restored.status(), false);

  // The target as the program will see it: the chain verified through the store, and its head
  // the backup's.
  auto store = store::OpenStore({o.restore_db, 2, false});
  if (!store.ok()) return ToolFail(store.status(), false);
  auto audit = app::VerifyAuditTrail(**store);
  if (!audit.ok()) return ToolFail(audit.status(), false);
  const ordered_json& head = backup->manifest["audit_head"];
  if (audit->first_bad_seq || audit->events_checked != head.value("seq", int64_t{-1}) ||
      restored->audit_hash != head.value("hash", "")) {
    return ToolFail(Internal("the restored audit trail does not verify or does not end at the "
                             "backup's head: do not use this database"),
                    false);
  }
  std::cout << "restored and verified: " << Thousands(audit->events_checked) << " audit events, "
            << Thousands(restored->RowsOf("patients")) << " patients, from the backup taken "
            << HumanTime(backup->manifest.value("created_at", "")) << ", into "
            << (*store)->backend() << "\n";
  return 0;
}

}  // namespace

ToolRunner AddBackupCommands(CLI::App& app) {
  auto o = std::make_shared<BackupOptions>();
  o->backup = app.add_subcommand("backup", "write a self-checking backup of the database");
  o->backup->require_subcommand(0, 1);
  o->backup->add_option("--db", o->db, "sqlite:PATH or postgresql://USER@HOST:PORT/DB")
      ->envname("KCLINIC_DB")
      ->capture_default_str();
  o->backup->add_option("--to", o->to, "the backup file to write (mode 0600)");
  o->backup->add_option("--key-file", o->key_file, "encrypt with this key (backup keygen)");

  o->keygen = o->backup->add_subcommand("keygen", "write a fresh backup encryption key");
  o->keygen->add_option("--to", o->keygen_to, "the key file to write (mode 0600)")->required();

  o->verify = o->backup->add_subcommand("verify", "check a backup end to end");
  o->verify->add_option("file", o->verify_file, "the backup file")->required();
  o->verify->add_option("--key-file", o->verify_key_file, "the key of an encrypted backup");
  o->verify->add_flag("--json", o->json, "print the result as JSON");

  o->restore = app.add_subcommand("restore", "restore a backup into an empty database");
  o->restore->add_option("--from", o->from, "the backup file")->required();
  o->restore->add_option("--db", o->restore_db, "the empty database: sqlite:PATH or postgresql://")
      ->required();
  o->restore->add_option("--key-file", o->restore_key_file, "the key of an encrypted backup");

  return [o]() -> std::optional<int> {
    if (o->keygen->parsed()) return RunKeygen(*o);
    if (o->verify->parsed()) return RunVerify(*o);
    if (o->backup->parsed()) return RunBackup(*o);
    if (o->restore->parsed()) return RunRestore(*o);
    return std::nullopt;
  };
}

}  // namespace kclinic::cli
