// bench_transport: starts its own Mosquitto and measures
//   mqtt_bare_rtt_us / mqtt_bare_rtt_p99_us: a QoS 1 publish from one client, a subscriber that
//     answers on another topic (QoS 1), the answer back at the first client: p50 and p99 over
//     many round trips. The two clients run on separate threads and io_contexts, as the server
//     and the simulator run in separate processes. This is the floor under every remote unlock.
//   mqtt_client_bytes_per_connection: resident memory per connected, subscribed client (each
//     with its own login) on one io_context, from RSS before and after connecting them all.
//   mqtt_connect_clients, mqtt_connect_window, mqtt_connect_all_ms: how many clients, the
//     ConnectGate limit they connect through, and how long until all had CONNACK and SUBACK.
//     Without a gate (window 0) the broker's listen backlog of 100 overflows and SYN
//     retransmission makes it seconds; see transport/connect_gate.hpp.
// Usage: bench_transport [round_trips=20000] [clients=5000] [connect_window=64 (0: all at once)]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "bench/support/metrics.hpp"
#include "bench/support/run_until.hpp"
#include "transport/broker_process.hpp"
#include "transport/connect_gate.hpp"
#include "transport/mosquitto_runtime.hpp"
#include "transport/mqtt_client.hpp"

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using bench::run_until;
using transport::MqttClient;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bench_transport: %s\n", why.c_str());
  std::exit(1);
}

// Joined by appending: GCC 12's -Wrestrict misfires on "literal" + std::string at -O3.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts)
    joined.append(part);
  return joined;
}

std::string lock_id(int i) {
  return cat({"l", std::to_string(i)});
}
std::string cmd_topic(int i) {
  return cat({"latchkey/v1/bench/", lock_id(i), "/cmd"});
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

transport::ClientOptions options_for(const transport::BrokerProcess& broker,
                                     const std::string& login) {
  transport::ClientOptions options;
  options.port = broker.port();
  options.username = login;
  options.password = std::string(*broker.credentials().password_for(login));
  options.keepalive = std::chrono::seconds(60);
  return options;
}

MqttClient make_client(asio::io_context& io, transport::ClientOptions options) {
  auto client = MqttClient::create(io, std::move(options));
  if (!client) die(cat({"cannot create a client: ", transport::to_string(client.error())}));
  return std::move(*client);
}

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[index];
}

struct RoundTrips {
  double p50_us, p99_us;
};

RoundTrips measure_round_trips(const transport::BrokerProcess& broker, int count) {
  const std::string ping = "latchkey/v1/bench/rtt/ping";
  const std::string pong = "latchkey/v1/bench/rtt/pong";

  // The answering side on its own thread.
  asio::io_context responder_io;
  MqttClient responder = make_client(responder_io, options_for(broker, "responder"));
  std::atomic<bool> responder_ready{false};
  responder.on_subscribed([&](const transport::SubscribeAck&) { responder_ready = true; });
  responder.on_message([&](const transport::InboundMessage& m) {
    (void)responder.publish(pong, m.payload, 1, false);
  });
  if (!responder.subscribe(ping, 1).ok()) die("responder cannot subscribe");
  responder.connect();
  auto responder_guard = asio::make_work_guard(responder_io);
  std::thread responder_thread([&] { responder_io.run(); });

  asio::io_context io;
  MqttClient caller = make_client(io, options_for(broker, "caller"));
  bool subscribed = false;
  int answered = 0;
  Clock::time_point sent;
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(count));
  const int warmup = std::min(1000, count / 10);
  caller.on_subscribed([&](const transport::SubscribeAck&) { subscribed = true; });
  auto send = [&] {
    sent = Clock::now();
    if (!caller.publish(ping, "{\"v\":1,\"op\":\"unlock\"}", 1, false).ok()) die("publish failed");
  };
  caller.on_message([&](const transport::InboundMessage&) {
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - sent).count();
    if (answered++ >= warmup) samples.push_back(us);
    if (answered < warmup + count) send();
  });
  if (!caller.subscribe(pong, 1).ok()) die("caller cannot subscribe");
  caller.connect();
  if (!run_until(
          io, [&] { return subscribed && responder_ready.load(); }, std::chrono::seconds(10))) {
    die("round-trip clients did not connect");
  }
  send();
  if (!run_until(
          io, [&] { return answered >= warmup + count; }, std::chrono::seconds(120))) {
    die("round trips did not complete");
  }
  caller.disconnect();
  asio::post(responder_io, [&] {
    responder.disconnect();
    responder_guard.reset();
  });
  responder_thread.join();
  return {percentile(samples, 0.50), percentile(samples, 0.99)};
}

struct Fleet {
  double bytes_per_client;
  double connect_ms;
};

// Connects `count` clients through a ConnectGate of `window` (0: no gate, all at once).
Fleet measure_fleet(const transport::BrokerProcess& broker, int count, int window) {
  asio::io_context io;
  std::vector<MqttClient> clients;
  clients.reserve(static_cast<std::size_t>(count));
  auto gate = window > 0 ? std::make_shared<transport::ConnectGate>(window) : nullptr;
  int ready = 0, refused = 0;
  const std::size_t before = resident_bytes();
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    auto options = options_for(broker, transport::lock_login("bench", lock_id(i)));
    options.connect_gate = gate;
    clients.push_back(make_client(io, std::move(options)));
    MqttClient& client = clients.back();
    client.on_subscribed([&](const transport::SubscribeAck&) { ++ready; });
    client.on_connect([&](const transport::ConnectResult& r) {
      if (r.outcome != transport::ConnectOutcome::accepted) ++refused;
    });
    if (!client.subscribe(cmd_topic(i), 1).ok()) die("fleet subscribe failed");
    client.connect();
  }
  if (!run_until(
          io, [&] { return ready == count; }, std::chrono::seconds(300))) {
    die(cat({"only ", std::to_string(ready), " of ", std::to_string(count), " clients connected (",
             std::to_string(refused), " failed attempts)"}));
  }
  const double connect_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const std::size_t after = resident_bytes();
  if (refused != 0) std::fprintf(stderr, "bench_transport: %d connect attempts retried\n", refused);
  for (MqttClient& client : clients)
    client.disconnect();
  run_until(
      io, [] { return false; }, std::chrono::seconds(1));
  return {static_cast<double>(after - before) / count, connect_ms};
}

}  // namespace

int main(int argc, char** argv) {
  const int round_trips = argc > 1 ? std::atoi(argv[1]) : 20'000;
  const int fleet = argc > 2 ? std::atoi(argv[2]) : 5'000;
  const int window = argc > 3 ? std::atoi(argv[3]) : 64;
  transport::ensure_mosquitto_runtime();

  char dir_template[] = "/tmp/latchkey-bench-transport-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) die("cannot create a temporary directory");
  const std::filesystem::path dir(dir_template);

  std::vector<transport::BrokerLogin> logins{
      {"caller", {{"latchkey/v1/bench/rtt/#", transport::Access::readwrite}}},
      {"responder", {{"latchkey/v1/bench/rtt/#", transport::Access::readwrite}}}};
  for (int i = 0; i < fleet; ++i) {
    logins.push_back(
        {transport::lock_login("bench", lock_id(i)), {{cmd_topic(i), transport::Access::read}}});
  }
  transport::BrokerSettings settings;
  settings.dir = dir / "broker";
  auto broker = transport::BrokerProcess::start(settings, logins);
  if (!broker) die(broker.error().message);

  const RoundTrips rtt = measure_round_trips(*broker, round_trips);
  std::printf("mqtt_bare_rtt_us p50 %.1f p99 %.1f (%d round trips)\n", rtt.p50_us, rtt.p99_us,
              round_trips);
  const Fleet f = measure_fleet(*broker, fleet, window);
  std::printf(
      "%d clients connected and subscribed in %.0f ms (at most %d connecting at once), "
      "%.0f bytes each\n",
      fleet, f.connect_ms, window, f.bytes_per_client);

  (void)broker->stop();
  std::filesystem::remove_all(dir);
  const bool ok =
      bench::write_metrics("transport", {{"mqtt_bare_rtt_us", rtt.p50_us},
                                         {"mqtt_bare_rtt_p99_us", rtt.p99_us},
                                         {"mqtt_client_bytes_per_connection", f.bytes_per_client},
                                         {"mqtt_connect_clients", fleet},
                                         {"mqtt_connect_window", window},
                                         {"mqtt_connect_all_ms", f.connect_ms}});
  return ok ? 0 : 1;
}
