#include "kclinic/app/audit_anchor.h"

#include <gtest/gtest.h>

#include "kclinic/base/crypto.h"

namespace kclinic::app {
namespace {

const Timestamp kAnchorTime = Timestamp(std::chrono::seconds(1'796'000'000));
const std::string kHead(64, 'a');

TEST(AuditAnchor, ALineRoundTripsAndVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey key = SigningKey::Generate();
  AuditAnchor a = SignAnchor(key, 42, kHead, kAnchorTime + std::chrono::microseconds(7));
  EXPECT_EQ(a.at, kAnchorTime);  // whole seconds
  EXPECT_EQ(a.key_id, SigningKeyId(key.public_key()));
  std::string line = FormatAnchorLine(a);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.rfind(R"({"anchor":1,"seq":42,"head":")", 0), 0u) << line;
  auto back = ParseAnchorLine(line);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->seq, 42);
  EXPECT_EQ(back->head_hash, kHead);
  EXPECT_EQ(back->at, kAnchorTime);
  EXPECT_FALSE(back->after_rollback);
  EXPECT_TRUE(AnchorSignatureValid(*back, key.public_key()));
}

TEST(AuditAnchor, EveryFieldIsCoveredByTheSignature) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey key = SigningKey::Generate(), other = SigningKey::Generate();
  const AuditAnchor a = SignAnchor(key, 42, kHead, kAnchorTime, /*after_rollback=*/true);
  ASSERT_TRUE(AnchorSignatureValid(a, key.public_key()));
  struct Case {
    const char* what;
    void (*change)(AuditAnchor&);
  };
  const Case cases[] = {
      {"seq", [](AuditAnchor& x) { x.seq = 41; }},
      {"head", [](AuditAnchor& x) { x.head_hash[0] = 'b'; }},
      {"at", [](AuditAnchor& x) { x.at += std::chrono::seconds(1); }},
      {"after_rollback", [](AuditAnchor& x) { x.after_rollback = false; }},
      {"signature", [](AuditAnchor& x) { x.signature[0] = x.signature[0] == '0' ? '1' : '0'; }},
      {"signature not hex", [](AuditAnchor& x) { x.signature = "zz"; }},
  };
  for (const Case& c : cases) {
    AuditAnchor changed = a;
    c.change(changed);
    EXPECT_FALSE(AnchorSignatureValid(changed, key.public_key())) << c.what;
  }
  EXPECT_FALSE(AnchorSignatureValid(a, other.public_key()));
  // Another key's anchor under this key's id.
  AuditAnchor forged = SignAnchor(other, 42, kHead, kAnchorTime);
  forged.key_id = a.key_id;
  EXPECT_FALSE(AnchorSignatureValid(forged, key.public_key()));
}

TEST(AuditAnchor, LinesThatAreNoAnchorSayWhy) {
  const std::string head(64, 'c');
  struct Case {
    std::string line, why;
  };
  const Case cases[] = {
      {"", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"anchor":2})", "format 1"},
      {R"({"anchor":1,"seq":-1})", "seq"},
      {R"({"anchor":1,"seq":"3"})", "seq"},
      {R"({"anchor":1,"seq":3,"head":"abc"})", "head"},
      {R"({"anchor":1,"seq":3,"head":")" + head + R"("})", "key_id"},
      {R"({"anchor":1,"seq":3,"head":")" + head + R"(","key_id":"k","sig":"s","at":"x"})", "time"},
      {R"({"anchor":1,"seq":3,"head":")" + head +
           R"(","key_id":"k","sig":"s","at":"2026-12-07T23:14:59.000000Z","after_rollback":1})",
       "after_rollback"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseAnchorLine(c.line);
    ASSERT_FALSE(parsed.ok()) << c.line;
    EXPECT_EQ(parsed.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(parsed.status().message().find(c.why), std::string::npos)
        << c.line << ": " << parsed.status().message();
  }
}

}  // namespace
}  // namespace kclinic::app
