// The keypad PIN check against a full table of 250 slots. Besides the budgeted figure, the same
// check is timed for a match in the first slot, in the last slot and for no match: equal times
// are the evidence that the check does not depend on where (or whether) the PIN matches.

#include <string>

#include <benchmark/benchmark.h>

#include "bench/support/metrics.hpp"
#include "lockcore/credential_table.hpp"
#include "lockcore/offline_pin.hpp"
#include "lockcore/signing.hpp"

namespace {

using namespace lockcore;

constexpr UnixMs kNow = 1'767'225'600'000;

Pin pin(std::string_view digits) {
  Pin p;
  if (!Pin::parse(digits, p)) std::abort();
  return p;
}

// 250 occupied slots: slot s holds the 6-digit PIN 100000 + s.
const CredentialTable& full_table() {
  static const CredentialTable table = [] {
    CredentialTable t(kMaxPinSlots);
    FixedVector<PinCredential, kMaxPinSlots> desired;
    for (std::uint16_t s = 1; s <= kMaxPinSlots; ++s) {
      PinCredential c;
      c.slot = s;
      c.pin = pin(std::to_string(100'000 + s));
      if (!desired.push_back(c)) std::abort();
    }
    FixedVector<SlotReport, kMaxPinSlots> report;
    t.apply({desired.begin(), desired.size()}, report);
    return t;
  }();
  return table;
}

void check(benchmark::State& state, const Pin& entered, std::uint16_t expected_slot) {
  const CredentialTable& table = full_table();
  if (table.find(entered) != expected_slot) {
    state.SkipWithError("the table does not hold what the case expects");
    return;
  }
  for (auto _ : state) {
    PinCheck result = table.check(entered, kNow, 0);
    benchmark::DoNotOptimize(result);
  }
}

void pin_check_250_slots(benchmark::State& state) {
  check(state, pin("100125"), 125);
}
void match_first(benchmark::State& state) {
  check(state, pin("100001"), 1);
}
void match_last(benchmark::State& state) {
  check(state, pin("100250"), 250);
}
void no_match(benchmark::State& state) {
  check(state, pin("99999999"), 0);
}

// The offline-PIN check a paired lock also runs on every entry: 164 keyed BLAKE2b derivations.
void offline_pin_check(benchmark::State& state) {
  SeededRandom random(1);
  const KxKeyPair lock = make_kx_keypair(random);
  const KxKeyPair server = make_kx_keypair(random);
  const OfflineSecret secret = lock_offline_secret(lock, server.public_key).value();
  const Pin entered = pin("12345678");
  for (auto _ : state) {
    OfflinePinSpec spec;
    bool matched = match_offline_pin(secret, entered, kNow, spec);
    benchmark::DoNotOptimize(matched);
  }
}

// Verifying one signed command (Ed25519ph over its canonical encoding).
void verify_command_signature(benchmark::State& state) {
  SeededRandom random(2);
  const SigningKeyPair site = make_signing_keypair(random);
  Command cmd;
  cmd.site = DeviceId::from("maple-court");
  cmd.lock = DeviceId::from("u204");
  cmd.issued = kNow;
  cmd.expires = kNow + 60'000;
  cmd.sig = sign_command(cmd, site.secret_key);
  for (auto _ : state) {
    bool ok = verify_command(cmd, site.public_key);
    benchmark::DoNotOptimize(ok);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("lockcore_pin_check_250_slots", pin_check_250_slots);
  benchmark::RegisterBenchmark("lockcore_pin_check_match_first", match_first);
  benchmark::RegisterBenchmark("lockcore_pin_check_match_last", match_last);
  benchmark::RegisterBenchmark("lockcore_pin_check_no_match", no_match);
  benchmark::RegisterBenchmark("lockcore_offline_pin_check", offline_pin_check);
  benchmark::RegisterBenchmark("lockcore_verify_command", verify_command_signature);

  const auto results = bench::run_google_benchmarks(argc, argv);
  bench::Metrics metrics;
  for (const auto& [name, ns] : results)
    metrics[name + "_ns"] = ns;
  return bench::write_metrics("lockcore", metrics) ? 0 : 1;
}
