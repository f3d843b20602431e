#include "kclinic/base/stream_crypto.h"

#include <openssl/evp.h>
#include <sodium.h>

namespace kclinic {

static_assert(sizeof(crypto_secretstream_xchacha20poly1305_state) <= 64);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == kStreamKeyBytes);
static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == kStreamHeaderBytes);
static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == kStreamChunkOverhead);

namespace {

crypto_secretstream_xchacha20poly1305_state* SecretState(std::array<unsigned char, 64>& raw) {
  return reinterpret_cast<crypto_secretstream_xchacha20poly1305_state*>(raw.data());
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

struct Sha256Stream::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256Stream::Sha256Stream() : ctx_(std::make_unique<Context>()) {
  ctx_->md = EVP_MD_CTX_new();
  if (ctx_->md) EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr);
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Update(std::string_view data) {
  if (ctx_->md) EVP_DigestUpdate(ctx_->md, data.data(), data.size());
}

std::string Sha256Stream::FinishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Without a context (libcrypto out of memory) the digest is empty, which matches no checksum.
  if (!ctx_->md || EVP_DigestFinal_ex(ctx_->md, digest, &len) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(len * 2, '\0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

Result<std::unique_ptr<StreamEncryptor>> StreamEncryptor::Create(std::string_view key) {
  if (key.size() != kStreamKeyBytes) {
    return InvalidArgument("key", "must be " + std::to_string(kStreamKeyBytes) + " bytes");
  }
  std::unique_ptr<StreamEncryptor> e(new StreamEncryptor());
  e->header_.assign(kStreamHeaderBytes, '\0');
  crypto_secretstream_xchacha20poly1305_init_push(
      SecretState(e->state_), reinterpret_cast<unsigned char*>(e->header_.data()), Bytes(key));
  return e;
}

std::string StreamEncryptor::Push(std::string_view plain, std::string_view associated_data,
                                  bool final) {
  std::string out(plain.size() + kStreamChunkOverhead, '\0');
  unsigned long long len = 0;
  crypto_secretstream_xchacha20poly1305_push(
      SecretState(state_), reinterpret_cast<unsigned char*>(out.data()), &len, Bytes(plain),
      plain.size(), associated_data.empty() ? nullptr : Bytes(associated_data),
      associated_data.size(),
      final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
            : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  out.resize(len);
  return out;
}

Result<std::unique_ptr<StreamDecryptor>> StreamDecryptor::Create(std::string_view key,
                                                                 std::string_view header) {
  if (key.size() != kStreamKeyBytes) {
    return InvalidArgument("key", "must be " + std::to_string(kStreamKeyBytes) + " bytes");
  }
  std::unique_ptr<StreamDecryptor> d(new StreamDecryptor());
  if (header.size() != kStreamHeaderBytes ||
      crypto_secretstream_xchacha20poly1305_init_pull(SecretState(d->state_), Bytes(header),
                                                      Bytes(key)) != 0) {
    return FailedPrecondition("the encrypted payload's header is damaged");
  }
  return d;
}

Result<std::string> StreamDecryptor::Pull(std::string_view cipher, std::string_view associated_data,
                                          bool& final) {
  if (finished_) return FailedPrecondition("the encrypted payload continues after its last chunk");
  if (cipher.size() < kStreamChunkOverhead) {
    return FailedPrecondition("an encrypted chunk is too short (the payload is damaged)");
  }
  std::string out(cipher.size() - kStreamChunkOverhead, '\0');
  unsigned long long len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
          SecretState(state_), reinterpret_cast<unsigned char*>(out.data()), &len, &tag,
          Bytes(cipher), cipher.size(), associated_data.empty() ? nullptr : Bytes(associated_data),
          associated_data.size()) != 0) {
    return FailedPrecondition(
        "the payload does not decrypt: wrong key, or the encrypted data was changed");
  }
  out.resize(len);
  final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  finished_ = final;
  return out;
}

}  // namespace kclinic
