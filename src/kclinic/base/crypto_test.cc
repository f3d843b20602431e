#include "kclinic/base/crypto.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "kclinic/base/strong_id.h"

namespace kclinic {
namespace {

TEST(Crypto, PasswordsHashWithArgon2idAndVerify) {
  ASSERT_TRUE(InitCrypto().ok());
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_NE(*hash, HashPassword("correct horse battery staple").value());  // salted
}

TEST(Crypto, CommonPasswordsAreThoseOnOpenwallsListWithOrWithoutDigitsAround) {
  for (const char* p : {"password", "Password1234", "letmein12345", "iloveyou!!!!", "qwertyuiop12",
                        "  monkey  2024", "1234"}) {
    EXPECT_TRUE(IsCommonPassword(p)) << p;
  }
  for (const char* p :
       {"kclinic-demo", "correct horse battery staple", "aZ9!kq2Lm#pX", "passport-lamp-river"}) {
    EXPECT_FALSE(IsCommonPassword(p)) << p;
  }
}

TEST(Crypto, IdsAndTokensAreWellFormedAndDistinct) {
  ASSERT_TRUE(InitCrypto().ok());
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId();
    EXPECT_TRUE(IsWellFormedId(id)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
  std::string token = RandomToken(32);
  EXPECT_EQ(token.size(), 43u);  // 256 bits, URL-safe base64 without padding
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_FALSE(IsWellFormedId("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(IsWellFormedId("0123"));
}

TEST(Crypto, Sha256MatchesTheStandardVector) {
  ASSERT_TRUE(InitCrypto().ok());
  // FIPS 180-2 appendix B.1.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // FIPS 180-2 appendix B.2 (two blocks) and the empty message.
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// Sha256Hex runs on OpenSSL's libcrypto; the audit trails written before it were hashed by
// libsodium. Both must agree on every length, padding in one block or spilling into the next.
TEST(Crypto, Sha256AgreesWithLibsodiumAtEveryLengthUpToFiveBlocks) {
  ASSERT_TRUE(InitCrypto().ok());
  std::string data;
  for (int n = 0; n <= 5 * 64; ++n) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    ASSERT_EQ(Sha256Hex(data), hex) << "length " << n;
    data += static_cast<char>('a' + (n * 7) % 26);
  }
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

}  // namespace
}  // namespace kclinic
