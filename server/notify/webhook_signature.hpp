#pragma once
// How a webhook proves it came from this Latchkey, and how a receiver checks it.
//
// Every webhook POST carries
//   Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where the HMAC (libsodium crypto_auth_hmacsha256) is keyed with the subscription's secret — the
// whole secret string as shown when the subscription was made, "whsec_…" included, as bytes — and
// computed over the ASCII decimal timestamp, a ".", and the raw request body, byte for byte:
//   v1 = hex(HMAC-SHA256(key = secret, message = t + "." + body))
//
// A receiver verifies (verify_webhook() does exactly this):
//   1. Read the header; take t (decimal digits) and every v1 (64 hex digits; there may be more
//      than one while a secret is rotated). Ignore other keys. No t or no v1: reject.
//   2. Reject when |now - t| > 300 s: a captured request replayed later fails here, since t is
//      inside the signed message and cannot be changed without the secret.
//   3. Compute the HMAC over t + "." + the body exactly as received (before any JSON parsing),
//      and accept if it equals any v1, comparing in constant time.
//   4. The body's "id" (also the Latchkey-Delivery header) is the same on every retry of one
//      message: a receiver that must act once remembers the ids it has seen for 5 minutes past
//      their t. Deliveries are at least once (see deliverer.hpp).

#include <cstdint>
#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace server::notify {

inline constexpr std::string_view kSignatureHeader = "Latchkey-Signature";
inline constexpr std::int64_t kSignatureToleranceS = 300;

// The header value for `body` signed at `unix_seconds`: "t=…,v1=…".
std::string sign_webhook(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

enum class SignatureErrc {
  malformed,  // no t, a t that is not decimal seconds, or no well-formed v1
  stale,      // t is more than the tolerance away from now (in either direction)
  mismatch,   // no v1 is the HMAC of this body at this t under this secret
};

struct SignatureError {
  SignatureErrc code;
  std::string message;
};

// The receiver's check, as described above. `now_unix_seconds` is the receiver's clock.
lockcore::Result<void, SignatureError> verify_webhook(
    std::string_view header, std::string_view body, std::string_view secret,
    std::int64_t now_unix_seconds, std::int64_t tolerance_s = kSignatureToleranceS);

}  // namespace server::notify
