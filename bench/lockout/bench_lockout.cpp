// Diagnosis of one lockout case, over a realistic mix of cases: the shared scenarios (a jam, a hub
// down, a move-out), the common troubles (signed out, a code not yet on the lock, a keypad cooling
// down, a flat battery, a guest outside her hours) and the rare, busy ones (several causes, an
// admin without MFA at a reset lock).
//
//   diagnosis_us_p99   p99 of per-call times over the mix, timed one call at a time (budget 1,000)
//   diagnosis_us_p50   the median, for scale
//   lockout_diagnose_mix_ns   Google Benchmark's mean over the same mix

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/lockout/percentile.hpp"
#include "bench/support/metrics.hpp"
#include "server/lockout/diagnosis/diagnosis.hpp"

namespace {

using namespace server::lockout;
using lockcore::BoltState;

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kHour = 60 * kMinute;
constexpr UnixMs kNow = 1'768'224'720'000;  // 2026-01-12T07:32:00-06:00

Snapshot resident() {
  Snapshot s;
  s.now = kNow;
  s.report.phone.present = true;
  s.report.phone.device = "ana-phone";
  s.report.phone.signed_in = true;
  s.report.phone.enrolled = true;
  s.report.phone.app_version = "5.2.0";
  s.person.id = "ana";
  s.person.session_valid = true;
  s.person.device_enrolled = true;
  s.person.verification = Verification::session;
  s.relation.role = Role::resident;
  Code code;
  code.status_since = kNow - 30 * 24 * kHour;
  (void)s.codes.push_back(code);
  s.lock.id = "u204";
  s.lock.hub_id = "hub-a";
  s.lock.last_seen = kNow - kMinute;
  s.lock.hub_last_seen = kNow - kMinute;
  s.lock.battery_pct = 80;
  s.lock.battery_days_left = 200;
  s.lock.firmware = "2.4.1";
  s.site.id = "maple-court";
  s.site.admin_reachable = true;
  s.site.manager_can_unlock = true;
  s.site.utc_offset_min = -360;
  return s;
}

Snapshot with(const std::function<void(Snapshot&)>& change) {
  Snapshot s = resident();
  change(s);
  return s;
}

void hub_down(Snapshot& s) {
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.hub_last_seen = kNow - 40 * kMinute;
  s.lock.last_seen = kNow - 40 * kMinute;
}

std::vector<Snapshot> mix() {
  return {
      with([](Snapshot& s) {  // jammed-door
        s.lock.bolt = BoltState::jammed;
        s.lock.last_jam_at = kNow - kMinute;
        s.lock.jams_last_7d = 3;
        s.report.symptoms = {Symptom::keypad_x_pattern, Symptom::unusual_beep};
      }),
      with([](Snapshot& s) {  // backup-code
        hub_down(s);
        s.codes.clear();
        s.report.symptoms = {Symptom::code_rejected, Symptom::lock_offline_in_app};
      }),
      with([](Snapshot& s) {  // moved-out
        s.relation.moved_out = true;
        s.relation.window = Validity::ended;
        s.codes[0].status = CodeStatus::removed;
        s.report.symptoms = {Symptom::code_rejected, Symptom::can_view_cannot_unlock};
      }),
      with([](Snapshot& s) {  // signed out, cannot sign in
        s.person.session_valid = false;
        s.person.verification = Verification::none;
        s.person.failed_sign_ins = 3;
        s.report.symptoms = {Symptom::cannot_sign_in};
      }),
      with([](Snapshot& s) {  // a new code still pending
        s.codes[0].status = CodeStatus::pending;
        s.codes[0].status_since = kNow - 20 * kMinute;
        s.report.symptoms = {Symptom::code_rejected};
      }),
      with([](Snapshot& s) {  // five wrong codes, keypad cooling down
        s.lock.keypad_disabled_until = kNow + 40'000;
        s.lock.wrong_codes_recent = 5;
        s.lock.last_wrong_code_limit_at = kNow - 20'000;
        s.report.symptoms = {Symptom::code_rejected, Symptom::no_response};
      }),
      with([](Snapshot& s) {  // a flat battery
        s.lock.battery_pct = 0;
        s.person.carries_physical_key = true;
        s.report.symptoms = {Symptom::keypad_dark};
      }),
      with([](Snapshot& s) {  // a guest outside her hours
        s.relation.role = Role::guest;
        s.relation.inside_schedule = false;
        s.report.symptoms = {Symptom::code_rejected};
      }),
      with([](Snapshot& s) {  // several causes at once
        hub_down(s);
        s.codes[0].status = CodeStatus::pending;
        s.lock.battery_pct = 14;
        s.report.phone.bluetooth_allowed = false;
        s.report.symptoms = {Symptom::code_rejected, Symptom::lock_offline_in_app,
                             Symptom::pairing_fails};
      }),
      with([](Snapshot& s) {  // an owner without MFA at a lock reset by someone else
        s.relation.role = Role::owner;
        s.person.mfa_enabled = true;
        s.person.mfa_available = false;
        s.person.session_valid = false;
        s.lock.epoch_changed = true;
        s.lock.factory_reset_at = kNow - 24 * kHour;
        s.report.symptoms = {Symptom::cannot_sign_in, Symptom::code_rejected,
                             Symptom::pairing_fails};
      }),
      with([](Snapshot& s) {  // a silent Wi-Fi lock, everything suspected
        s.lock.link = Link::wifi;
        s.lock.online = false;
        s.lock.last_seen = kNow - 5 * kHour;
        s.lock.battery_pct = 6;
        s.lock.battery_days_left = 1;
        s.report.symptoms = {Symptom::keypad_dark, Symptom::no_response, Symptom::key_wont_turn,
                             Symptom::lock_offline_in_app};
      }),
      with([](Snapshot& s) {  // maintenance without a work order
        s.relation.role = Role::maintenance;
        s.report.symptoms = {Symptom::can_view_cannot_unlock};
      }),
  };
}

const std::vector<Snapshot>& cases() {
  static const std::vector<Snapshot> all = mix();
  return all;
}

void diagnose_mix(benchmark::State& state) {
  const auto& all = cases();
  std::size_t i = 0;
  for (auto _ : state) {
    Diagnosis d = diagnose(all[i]);
    benchmark::DoNotOptimize(d);
    i = (i + 1) % all.size();
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("lockout_diagnose_mix", diagnose_mix);
  const auto results = bench::run_google_benchmarks(argc, argv);

  // Per-call times, one call at a time, so that the tail is the tail of single diagnoses.
  using Clock = std::chrono::steady_clock;
  const auto& all = cases();
  constexpr int kWarmup = 2'000;
  constexpr int kCalls = 120'000;
  std::vector<double> samples;
  samples.reserve(kCalls);
  for (int i = 0; i < kWarmup + kCalls; ++i) {
    const Snapshot& s = all[static_cast<std::size_t>(i) % all.size()];
    const auto start = Clock::now();
    Diagnosis d = diagnose(s);
    const auto stop = Clock::now();
    benchmark::DoNotOptimize(d);
    if (i >= kWarmup)
      samples.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
  }
  const double p50 = bench::percentile(samples, 0.50);
  const double p99 = bench::percentile(samples, 0.99);
  std::printf("diagnosis_us p50 %.2f p99 %.2f over %d calls (%zu cases; budget p99 <= 1000)\n", p50,
              p99, kCalls, all.size());

  bench::Metrics metrics{{"diagnosis_us_p50", p50}, {"diagnosis_us_p99", p99}};
  for (const auto& [name, ns] : results)
    metrics[name + "_ns"] = ns;
  return bench::write_metrics("lockout", metrics) ? 0 : 1;
}
