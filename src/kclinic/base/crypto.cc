#include "kclinic/base/crypto.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <unordered_set>

#include "kclinic/base/embedded.h"

namespace kclinic {

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  return Status::Ok();
}

std::string RandomBytes(size_t bytes) {
  std::string out(bytes, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string NewId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string(hex, 32);
}

std::string RandomToken(size_t bytes) {
  std::string raw = RandomBytes(bytes);
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

namespace {

// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions (or AVX2) where present:
// 4-5x faster than libsodium's portable code on this machine's 256-byte audit records, and every
// audited request hashes its session token and its audit event (bench/README.md). The digest is
// fetched once; a context per thread.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

bool OpenSslSha256(std::string_view data, unsigned char* digest) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const EVP_MD* md = Sha256Md();
  unsigned int len = 0;
  return md != nullptr && ctx != nullptr && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx.get(), data.data(), data.size()) == 1 &&
         EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1 && len == crypto_hash_sha256_BYTES;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  if (!OpenSslSha256(data, digest)) {
    // Only when libcrypto cannot allocate: libsodium gives the same digest, more slowly.
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(crypto_hash_sha256_BYTES * 2, '\0');
  for (size_t i = 0; i < crypto_hash_sha256_BYTES; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

// OWASP Password Storage Cheat Sheet (2023), Argon2id: 19 MiB of memory, 2 iterations, 1 lane.
// libsodium's "interactive" preset would take 64 MiB per login, which several concurrent logins
// would turn into hundreds of MiB on a small clinic server. The parameters are stored in each
// hash, so raising them later still verifies old hashes.
constexpr unsigned long long kArgon2OpsLimit = 2;
constexpr size_t kArgon2MemLimit = 19 * 1024 * 1024;

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgon2OpsLimit, kArgon2MemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string hash(encoded_hash);  // libsodium needs a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> kList = [] {
    std::unordered_set<std::string> out;
    for (const auto& f : EmbeddedFiles()) {
      if (f.path != "base/common_passwords.lst") continue;
      std::string_view rest = f.content;
      while (!rest.empty()) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (line.empty() || line.starts_with("#!comment")) continue;
        std::string word(line);
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.insert(std::move(word));
      }
    }
    return out;
  }();
  return kList;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& list = CommonPasswords();
  if (list.count(lower)) return true;
  auto filler = [](unsigned char c) {
    return std::isdigit(c) || std::ispunct(c) || std::isspace(c);
  };
  size_t b = 0, e = lower.size();
  while (b < e && filler(static_cast<unsigned char>(lower[b]))) ++b;
  while (e > b && filler(static_cast<unsigned char>(lower[e - 1]))) --e;
  const std::string core = lower.substr(b, e - b);
  return core.size() >= 4 && list.count(core) > 0;
}

}  // namespace kclinic
