// Ed25519 signatures (libsodium's crypto_sign_*), for what the program signs so that a copy kept
// outside the database can prove the database's state later: the audit chain's anchors
// (app/audit_anchor.h). A key is held as its 32-byte seed, from which libsodium derives the key
// pair; the public key is 32 bytes, a signature 64. Call InitCrypto() (base/crypto.h) first.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "kclinic/base/status.h"

namespace kclinic {

inline constexpr size_t kSigningSeedBytes = 32;
inline constexpr size_t kSigningPublicKeyBytes = 32;
inline constexpr size_t kSignatureBytes = 64;

// A key pair that signs. Thread-safe (immutable once made).
class SigningKey {
 public:
  // A fresh random key.
  static SigningKey Generate();
  // The key of a seed. InvalidArgument (field "key") unless `seed` is kSigningSeedBytes long.
  static Result<SigningKey> FromSeed(std::string_view seed);

  const std::string& seed() const { return seed_; }
  const std::string& public_key() const { return public_key_; }
  // The detached signature (kSignatureBytes raw bytes) of `message`.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::string seed_, public_key_, secret_key_;  // secret_key_: libsodium's 64-byte form
};

// True when `signature` is a valid Ed25519 signature of `message` by `public_key`; false for any
// wrong length.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

// A short name for a public key, to tell keys apart in a log: the first 16 hex digits of the
// SHA-256 of the raw public key.
std::string SigningKeyId(std::string_view public_key);

// Lowercase hex of `bytes`; and back (nullopt unless `hex` is an even number of hex digits).
std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace kclinic
