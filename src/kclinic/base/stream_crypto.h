// Crypto over data too large to hold in memory (backups): an incremental SHA-256 (OpenSSL's
// libcrypto, like Sha256Hex) and libsodium's secretstream (XChaCha20-Poly1305), which encrypts a
// stream as a sequence of authenticated chunks whose last one is marked final, so a stream cut
// short, reordered or changed in any byte does not decrypt. Call InitCrypto() first.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kclinic/base/status.h"

namespace kclinic {

// SHA-256 of data fed in pieces. Not thread-safe; one digest per object.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  // Lowercase hex of the digest of everything fed so far; call once, last.
  std::string FinishHex();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// A secretstream key: 32 bytes.
inline constexpr size_t kStreamKeyBytes = 32;
// The stream header written before the first chunk (24 bytes) and what each chunk adds (17).
inline constexpr size_t kStreamHeaderBytes = 24;
inline constexpr size_t kStreamChunkOverhead = 17;

// Encrypts one stream. The first Push may carry associated data (authenticated, not encrypted).
class StreamEncryptor {
 public:
  // InvalidArgument (field "key") unless `key` is kStreamKeyBytes long.
  static Result<std::unique_ptr<StreamEncryptor>> Create(std::string_view key);
  // The header to store before the chunks.
  const std::string& header() const { return header_; }
  // The ciphertext of `plain` (plain.size() + kStreamChunkOverhead bytes); `final` marks the
  // stream's last chunk.
  std::string Push(std::string_view plain, std::string_view associated_data, bool final);

 private:
  StreamEncryptor() = default;
  alignas(16) std::array<unsigned char, 64> state_{};
  std::string header_;
};

// Decrypts a stream made by StreamEncryptor.
class StreamDecryptor {
 public:
  // InvalidArgument (field "key") for a key of the wrong length; FailedPrecondition when the
  // header is not one (a damaged file).
  static Result<std::unique_ptr<StreamDecryptor>> Create(std::string_view key,
                                                         std::string_view header);
  // The plaintext of one chunk; FailedPrecondition when it does not authenticate (wrong key,
  // changed bytes, chunks out of order) or comes after the final one. Sets `final` when this
  // chunk ends the stream.
  Result<std::string> Pull(std::string_view cipher, std::string_view associated_data, bool& final);

 private:
  StreamDecryptor() = default;
  alignas(16) std::array<unsigned char, 64> state_{};
  bool finished_ = false;
};

}  // namespace kclinic
