// The webhook signature from the receiver's side: what verify_webhook() accepts is exactly a body
// signed by the holder of the secret within the last five minutes; a forged, altered, replayed or
// malformed one is refused with a reason.

#include "server/notify/webhook_signature.hpp"

#include <gtest/gtest.h>

namespace server::notify {
namespace {

constexpr std::string_view kSecret =
    "whsec_5b0e8f2a9c1d4e7f8a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
constexpr std::int64_t kNow = 1'767'225'600;
constexpr std::string_view kBody = R"({"id":"msg_1","kind":"lock_alert","data":{"battery":7}})";

TEST(WebhookSignature, IsTheHmacSha256OfTimestampDotBodyInHex) {
  // Computed independently: python3 -c 'import hmac, hashlib;
  //   print(hmac.new(b"key", b"1.{}", hashlib.sha256).hexdigest())'
  EXPECT_EQ(sign_webhook("key", 1, "{}"),
            "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224");
}

TEST(WebhookSignature, ABodySignedNowVerifies) {
  const std::string header = sign_webhook(kSecret, kNow, kBody);
  EXPECT_TRUE(verify_webhook(header, kBody, kSecret, kNow));
  EXPECT_TRUE(verify_webhook(header, kBody, kSecret, kNow + 300));
}

TEST(WebhookSignature, AForgedSignatureIsRefused) {
  auto forged = verify_webhook(sign_webhook("whsec_guessed", kNow, kBody), kBody, kSecret, kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, SignatureErrc::mismatch);

  std::string flipped = sign_webhook(kSecret, kNow, kBody);
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  auto tampered_mac = verify_webhook(flipped, kBody, kSecret, kNow);
  ASSERT_FALSE(tampered_mac);
  EXPECT_EQ(tampered_mac.error().code, SignatureErrc::mismatch);
}

TEST(WebhookSignature, AnAlteredBodyOrTimestampIsRefused) {
  const std::string header = sign_webhook(kSecret, kNow, kBody);
  std::string body(kBody);
  body.replace(body.find('7'), 1, "9");
  EXPECT_EQ(verify_webhook(header, body, kSecret, kNow).error().code, SignatureErrc::mismatch);
  // Moving t forward to beat the replay window breaks the signature.
  std::string later = header;
  later.replace(2, std::to_string(kNow).size(), std::to_string(kNow + 600));
  EXPECT_EQ(verify_webhook(later, kBody, kSecret, kNow + 600).error().code,
            SignatureErrc::mismatch);
}

TEST(WebhookSignature, AReplayOlderThanFiveMinutesIsRefusedEvenWithAGoodSignature) {
  const std::string header = sign_webhook(kSecret, kNow, kBody);
  auto replayed = verify_webhook(header, kBody, kSecret, kNow + 301);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, SignatureErrc::stale);
  auto from_the_future = verify_webhook(header, kBody, kSecret, kNow - 301);
  ASSERT_FALSE(from_the_future);
  EXPECT_EQ(from_the_future.error().code, SignatureErrc::stale);
}

TEST(WebhookSignature, AnyOfSeveralV1SignaturesMayMatchWhileASecretIsRotated) {
  const std::string good = sign_webhook(kSecret, kNow, kBody);
  const std::string old = sign_webhook("whsec_old", kNow, kBody);
  const std::string both = old + "," + good.substr(good.find("v1=")) + ",v2=future-scheme";
  EXPECT_TRUE(verify_webhook(both, kBody, kSecret, kNow));
}

TEST(WebhookSignature, AMalformedHeaderIsRefusedAsMalformed) {
  const std::string good = sign_webhook(kSecret, kNow, kBody);
  const std::string v1 = good.substr(good.find("v1="));
  for (const std::string& bad :
       {std::string(), std::string("garbage"), v1, "t=" + std::to_string(kNow),
        "t=" + std::to_string(kNow) + ",v1=abc", "t=-5," + v1, "t=12x," + v1,
        "t=" + std::to_string(kNow) + ",t=" + std::to_string(kNow) + "," + v1}) {
    auto checked = verify_webhook(bad, kBody, kSecret, kNow);
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().code, SignatureErrc::malformed) << bad;
  }
}

}  // namespace
}  // namespace server::notify
