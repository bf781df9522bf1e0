// The control channel through a real Unix socket: requests in, one answer line per request, in
// order; hostile lines answered and skipped without closing the connection; advance answered
// once the virtual clock has moved; the socket file guarded and cleaned up.

#include <filesystem>
#include <fstream>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "sim/control.hpp"
#include "sim/control_server.hpp"
#include "tests/sim/offline_fleet.hpp"
#include "tests/support/run_until.hpp"
#include "tests/support/test_broker.hpp"

namespace simtest {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using Socket = asio::local::stream_protocol::socket;

// A control-channel user on the test's io_context.
class ControlClient {
 public:
  ControlClient(asio::io_context& io, const std::filesystem::path& path) : io_(io), socket_(io) {
    boost::system::error_code ec;
    socket_.connect(asio::local::stream_protocol::endpoint(path.string()), ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  void send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }

  // The next answer line, parsed; null when none came within the deadline.
  json::value answer() {
    std::optional<std::string> line;
    asio::async_read_until(socket_, buffer_, '\n',
                           [&](boost::system::error_code ec, std::size_t n) {
                             if (ec) {
                               line.emplace();
                               return;
                             }
                             line.emplace(asio::buffers_begin(buffer_.data()),
                                          asio::buffers_begin(buffer_.data()) + n);
                             buffer_.consume(n);
                           });
    EXPECT_TRUE(testsupport::run_until(io_, [&] { return line.has_value(); }));
    if (!line || line->empty()) return nullptr;
    EXPECT_EQ(line->back(), '\n');
    return json::parse(*line);
  }

  json::value request(std::string_view line) {
    send(std::string(line) + "\n");
    return answer();
  }

 private:
  asio::io_context& io_;
  Socket socket_;
  asio::streambuf buffer_;
};

class ControlChannel : public OfflineFleet {
 protected:
  void SetUp() override {
    OfflineFleet::SetUp();
    dir_ = testsupport::make_temp_dir("latchkey-control");
    path_ = dir_ / "sim.sock";
    auto opened = sim::ControlServer::open(io, *fleet, path_);
    ASSERT_TRUE(opened) << opened.error().message;
    server_ = std::move(*opened);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::filesystem::path path_;
  std::unique_ptr<sim::ControlServer> server_;
};

TEST_F(ControlChannel, FaultsActionsAndQueriesAnswerOneLineEach) {
  commission("u204");
  ControlClient client(io, path_);
  EXPECT_EQ(client.request(R"({"fault":"jam","lock":"u204"})"), json::parse(R"({"ok":true})"));
  EXPECT_EQ(client.request(R"({"do":"enter_pin","lock":"u204","pin":"4831"})"),
            json::parse(R"({"ok":true,"outcome":"accepted","reason":"none","source":"keypad",)"
                        R"("slot":1})"));
  const json::value advanced = client.request(R"({"advance":"5s"})");
  EXPECT_EQ(advanced.at("ok"), true);
  EXPECT_EQ(advanced.at("now").to_number<std::int64_t>(), fleet->now());

  const json::value lock = client.request(R"({"query":"lock","lock":"u204"})").at("lock");
  EXPECT_EQ(lock.at("bolt"), "jammed");
  EXPECT_EQ(lock.at("display"), "jam_x");
  EXPECT_EQ(lock.at("last_beep"), "jam");
  EXPECT_EQ(lock.at("state").at("bolt"), "jammed");
  EXPECT_EQ(lock.at("credentials").at(0).at("pin"), "4831");
  bool jammed_event = false;
  for (const auto& e : lock.at("events").as_array())
    jammed_event |= e.at("type") == "jammed";
  EXPECT_TRUE(jammed_event);

  EXPECT_EQ(client.request(R"({"query":"fleet"})").at("fleet").at("locks"), 4);
  EXPECT_EQ(
      client.request(R"({"query":"hub","hub":"hub-a"})").at("hub").at("links").at(0).at("lock"),
      "u205");
  EXPECT_EQ(
      client.request(R"({"do":"begin_bluetooth","lock":"u204"})").at("nonce").as_string().size(),
      32u);
}

TEST_F(ControlChannel, RefusalsNameTheProblemAndTheConnectionCarriesOn) {
  ControlClient client(io, path_);
  EXPECT_EQ(client.request(R"({"fault":"jam","lock":"u999"})"),
            json::parse(R"({"ok":false,"error":{"code":"unknown_lock",)"
                        R"("message":"no lock \"u999\" in site \"maple-court\""}})"));
  EXPECT_EQ(client.request(R"({"fault":"hub_down","lock":"u206"})").at("error").at("code"),
            "not_applicable");
  EXPECT_EQ(client.request("{not json").at("error").at("code"), "malformed");
  EXPECT_EQ(client.request(R"({"fault":"jam","lock":"u204","extra":true})").at("error").at("code"),
            "unknown_key");
  // Several lines in one write, one of them far over the limit: answered in order.
  std::string burst = R"({"query":"fleet"})"
                      "\n";
  burst += std::string(3 * sim::kMaxControlLine, 'x') + "\n";
  burst += "\r\n";  // blank lines are skipped
  burst += R"({"fault":"battery","lock":"u204","pct":"low"})"
           "\r\n";
  burst += R"({"query":"lock","lock":"u204"})"
           "\n";
  client.send(burst);
  EXPECT_EQ(client.answer().at("ok"), true);
  EXPECT_EQ(client.answer().at("error").at("code"), "too_long");
  EXPECT_EQ(client.answer().at("error").at("code"), "wrong_type");
  EXPECT_EQ(client.answer().at("lock").at("id"), "u204");
  // Nothing refused changed anything.
  EXPECT_TRUE(view("u204").events.empty());
  EXPECT_FALSE(view("u204").bolt_stuck);
}

TEST_F(ControlChannel, AdvanceRunsTheFirmwaresTimersAndIsVirtualOnly) {
  ControlClient client(io, path_);
  const lockcore::UnixMs before = fleet->now();
  const json::value advanced = client.request(R"({"advance":"3d"})");
  EXPECT_EQ(advanced.at("now").to_number<std::int64_t>(), before + 3LL * 86'400'000);
  EXPECT_GE(advanced.at("timers_run").to_number<std::int64_t>(), 4 * 72);
  EXPECT_EQ(client.request(R"({"advance":"1 day"})").at("error").at("code"), "bad_value");
}

TEST_F(ControlChannel, TwoClientsAtOnce) {
  ControlClient a(io, path_);
  ControlClient b(io, path_);
  a.send(R"({"advance":"2h"})"
         "\n");
  EXPECT_EQ(b.request(R"({"query":"fleet"})").at("ok"), true);
  EXPECT_EQ(a.answer().at("ok"), true);
}

TEST_F(ControlChannel, TheSocketIsPrivateGuardedAndRemovedOnClose) {
  EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto second = sim::ControlServer::open(io, *fleet, path_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, sim::SimErrorCode::io_error);
  server_.reset();
  EXPECT_FALSE(std::filesystem::exists(path_));

  auto file = dir_ / "plain";
  { std::ofstream(file) << "x"; }
  EXPECT_FALSE(sim::ControlServer::open(io, *fleet, file));
  EXPECT_TRUE(std::filesystem::exists(file));  // not ours to remove
}

TEST_F(ControlChannel, AStaleSocketFileIsReplaced) {
  server_.reset();
  {
    // A socket file nobody listens on, as a crashed simulator leaves behind.
    asio::local::stream_protocol::acceptor stale(io);
    stale.open();
    stale.bind(asio::local::stream_protocol::endpoint(path_.string()));
  }
  ASSERT_TRUE(std::filesystem::exists(path_));
  auto reopened = sim::ControlServer::open(io, *fleet, path_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  ControlClient client(io, path_);
  EXPECT_EQ(client.request(R"({"query":"fleet"})").at("ok"), true);
}

}  // namespace
}  // namespace simtest
