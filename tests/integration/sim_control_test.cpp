// The control channel end to end: a person's actions and faults typed into the simulator's Unix
// socket reach the locks, and what they cause reaches the server through the real broker.

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "sim/control.hpp"
#include "sim/control_server.hpp"
#include "tests/integration/sim_site.hpp"

namespace simtest {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

class SimControl : public SimSite {
 protected:
  void TearDown() override {
    control.reset();
    SimSite::TearDown();
    std::filesystem::remove_all(dir);
  }

  json::value request(std::string_view line) {
    asio::write(socket, asio::buffer(std::string(line) + "\n"));
    std::optional<std::string> answer;
    asio::async_read_until(socket, buffer, '\n', [&](boost::system::error_code ec, std::size_t n) {
      if (ec) {
        answer.emplace();
        return;
      }
      answer.emplace(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n);
      buffer.consume(n);
    });
    EXPECT_TRUE(wait_for([&] { return answer.has_value(); }));
    return answer && !answer->empty() ? json::parse(*answer) : json::value(nullptr);
  }

  std::filesystem::path dir = testsupport::make_temp_dir("latchkey-sim-control");
  std::unique_ptr<sim::ControlServer> control;
  asio::local::stream_protocol::socket socket{io};
  asio::streambuf buffer;
};

TEST_F(SimControl, ActionsAndFaultsFromTheSocketReachTheServer) {
  ASSERT_NO_FATAL_FAILURE(
      start(site_config({lock_spec("u204", "hub-a"), lock_spec("u206")}, {{"hub-a"}})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_NO_FATAL_FAILURE(set_codes("u204", {testsupport::SiteAuthority::code(1, "4831")}));
  auto opened = sim::ControlServer::open(io, *fleet, dir / "sim.sock");
  ASSERT_TRUE(opened) << opened.error().message;
  control = std::move(*opened);
  socket.connect((dir / "sim.sock").string());

  EXPECT_EQ(request(R"({"do":"enter_pin","lock":"u204","pin":"4831"})").at("outcome"), "accepted");
  EXPECT_EQ(request(R"({"advance":"5s"})").at("ok"), true);
  EXPECT_TRUE(wait_for([&] {
    const auto& state = server->lock("u204").state;
    return state && state->bolt == lockcore::BoltState::unlocked;
  }));
  const auto& stored = server->lock("u204").stored;
  EXPECT_EQ(stored.rbegin()->second.slot, 1);

  EXPECT_EQ(request(R"({"fault":"hub_down","lock":"u204"})").at("ok"), true);
  EXPECT_TRUE(wait_for([&] { return server->status("hub-a") == protocol::DeviceStatus::offline; }));
  const json::value hub = request(R"({"query":"hub","hub":"hub-a"})").at("hub");
  EXPECT_EQ(hub.at("connected"), false);
  EXPECT_EQ(request(R"({"query":"lock","lock":"u204"})").at("lock").at("link_up"), false);

  EXPECT_EQ(request(R"({"fault":"battery","lock":"u206","pct":12})").at("ok"), true);
  EXPECT_TRUE(wait_for([&] {
    const auto& state = server->lock("u206").state;
    return state && state->battery_pct < 20;
  }));
  EXPECT_EQ(server->lock("u206").stored.rbegin()->second.type, lockcore::EventType::battery_low);

  const json::value fleet_view = request(R"({"query":"fleet"})").at("fleet");
  EXPECT_EQ(fleet_view.at("links_up"), 1);  // u206; the hub is down
  EXPECT_EQ(fleet_view.at("links_expected"), 1);
}

}  // namespace
}  // namespace simtest
