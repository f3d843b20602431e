#include "kclinic/base/signing.h"

#include <sodium.h>

#include "kclinic/base/crypto.h"

namespace kclinic {

namespace {

const unsigned char* SignedBytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SigningKey SigningKey::Generate() {
  // A seed from the system's generator; FromSeed cannot fail on its length.
  return *FromSeed(RandomBytes(kSigningSeedBytes));
}

Result<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  if (seed.size() != kSigningSeedBytes) {
    return InvalidArgument("key", "is not an Ed25519 seed of 32 bytes");
  }
  SigningKey key;
  key.seed_ = std::string(seed);
  key.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  key.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key_.data()),
                           reinterpret_cast<unsigned char*>(key.secret_key_.data()),
                           SignedBytes(seed));
  return key;
}

std::string SigningKey::Sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       SignedBytes(message), message.size(), SignedBytes(secret_key_));
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(SignedBytes(signature), SignedBytes(message), message.size(),
                                     SignedBytes(public_key)) == 0;
}

std::string SigningKeyId(std::string_view public_key) {
  return Sha256Hex(public_key).substr(0, 16);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace kclinic
