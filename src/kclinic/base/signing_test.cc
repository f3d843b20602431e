#include "kclinic/base/signing.h"

#include <gtest/gtest.h>

#include "kclinic/base/crypto.h"

namespace kclinic {
namespace {

TEST(Signing, MatchesRfc8032TestVectorOne) {
  // RFC 8032 section 7.1, TEST 1: the empty message.
  ASSERT_TRUE(InitCrypto().ok());
  auto key = SigningKey::FromSeed(
      *HexDecode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(HexEncode(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(HexEncode(key->Sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(VerifySignature(key->public_key(), "", key->Sign("")));
}

TEST(Signing, AChangedMessageSignatureOrKeyDoesNotVerify) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey key = SigningKey::Generate(), other = SigningKey::Generate();
  std::string sig = key.Sign("seq 42");
  EXPECT_TRUE(VerifySignature(key.public_key(), "seq 42", sig));
  EXPECT_FALSE(VerifySignature(key.public_key(), "seq 43", sig));
  EXPECT_FALSE(VerifySignature(other.public_key(), "seq 42", sig));
  std::string flipped = sig;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  EXPECT_FALSE(VerifySignature(key.public_key(), "seq 42", flipped));
  EXPECT_FALSE(VerifySignature(key.public_key(), "seq 42", sig.substr(1)));
  EXPECT_FALSE(VerifySignature("short", "seq 42", sig));
}

TEST(Signing, ASeedOfTheWrongLengthIsRefusedByName) {
  auto key = SigningKey::FromSeed("too short");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(key.status().field(), "key");
}

TEST(Signing, KeyIdsAreShortAndDiffer) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey a = SigningKey::Generate(), b = SigningKey::Generate();
  EXPECT_EQ(SigningKeyId(a.public_key()).size(), 16u);
  EXPECT_NE(SigningKeyId(a.public_key()), SigningKeyId(b.public_key()));
}

TEST(Signing, HexRoundTripsAndRefusesWhatIsNotHex) {
  EXPECT_EQ(HexEncode(std::string("\x00\x7f\xff", 3)), "007fff");
  EXPECT_EQ(HexDecode("007FfF"), std::string("\x00\x7f\xff", 3));
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
}

}  // namespace
}  // namespace kclinic
