// One libFuzzer target per decoder, chosen at build time by LATCHKEY_FUZZ_TARGET
// (fuzz/targets.cmake). Besides the sanitizers' findings, a target aborts when what it decoded does
// not survive encode -> decode unchanged, or encodes to other bytes the second time.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"
#include "protocol/equal.hpp"
#include "protocol/topics.hpp"

namespace {

using namespace protocol;

enum class Target {
  status,
  state,
  event,
  command,
  ack,
  desired_shadow,
  reported_shadow,
  hub_links,
  key_grant,
  topic
};
constexpr Target kTarget = Target::LATCHKEY_FUZZ_TARGET;

const lockcore::DeviceId kSite = lockcore::DeviceId::from("s");
const lockcore::DeviceId kLock = lockcore::DeviceId::from("l");

[[noreturn]] void mismatch(std::string_view what, std::string_view first, std::string_view second) {
  std::fprintf(stderr, "round trip mismatch (%.*s)\nfirst:  %.*s\nsecond: %.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(first.size()),
               first.data(), static_cast<int>(second.size()), second.data());
  std::abort();
}

// decode -> encode -> decode must give the same message, and encoding it again the same bytes.
template <class Decode>
void round_trip(std::string_view input, Decode decode) {
  auto first = decode(input);
  if (!first.ok()) return;
  std::string encoded = encode(*first);
  auto second = decode(encoded);
  if (!second.ok()) mismatch(second.error().message, input, encoded);
  if (!equal(*first, *second)) mismatch("messages differ", input, encoded);
  std::string again = encode(*second);
  if (again != encoded) mismatch("encodings differ", encoded, again);
}

void round_trip_topic(std::string_view input) {
  auto parsed = parse_topic(input);
  if (!parsed.ok()) return;
  std::string built = make_topic(*parsed);
  if (built != input) mismatch("topic rebuilt differently", input, built);
  auto again = parse_topic(built);
  if (!again.ok() || !(*again == *parsed)) mismatch("topic parsed differently", input, built);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto command = [](std::string_view j) { return decode_command(j, kSite, kLock); };
  auto desired = [](std::string_view j) { return decode_desired_shadow(j, kSite, kLock); };
  switch (kTarget) {
    case Target::status:
      round_trip(input, decode_status);
      break;
    case Target::state:
      round_trip(input, decode_state);
      break;
    case Target::event:
      round_trip(input, decode_event);
      break;
    case Target::command:
      round_trip(input, command);
      break;
    case Target::ack:
      round_trip(input, decode_ack);
      break;
    case Target::desired_shadow:
      round_trip(input, desired);
      break;
    case Target::reported_shadow:
      round_trip(input, decode_reported_shadow);
      break;
    case Target::hub_links:
      round_trip(input, decode_hub_links);
      break;
    case Target::key_grant:
      round_trip(input, decode_key_grant);
      break;
    case Target::topic:
      round_trip_topic(input);
      break;
  }
  return 0;
}
