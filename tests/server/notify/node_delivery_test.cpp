// The deliverer as the Node runs it: started with the node, fed by a poke after a commit, stopped
// with the node, and counted in the node's /metrics registry.

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/node/node.hpp"
#include "tests/support/capture_server.hpp"
#include "tests/support/run_until.hpp"
#include "tests/support/temp_dir.hpp"

namespace server {
namespace {

TEST(NodeDelivery, AWebhookPublishedInATransactionGoesOutAfterThePokeAndTheNodeStops) {
  testsupport::TempDir dir;
  testsupport::CaptureServer receiver({"/hook"});
  config::Config config;
  config.store.path = dir.file("latchkey.db");
  boost::asio::io_context io;
  runtime::VirtualScheduler clock(1'767'225'600'000);
  auto node = Node::open(io, clock, config);
  ASSERT_TRUE(node) << node.error();
  Node& n = **node;

  ASSERT_TRUE(n.webhooks().add("", receiver.base_url() + "/hook", {notify::Kind::lock_alert}));
  {
    auto tx = n.db().begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(n.webhooks().publish(n.outbox(), "harbor-flats", notify::Kind::lock_alert,
                                     "Battery low", boost::json::object{{"battery", 7}}));
    ASSERT_TRUE(tx->commit());
  }
  n.deliverer().poke();
  ASSERT_TRUE(testsupport::run_until(io, [&] { return n.deliverer().idle(); }));
  EXPECT_EQ(receiver.count(), 1u);
  EXPECT_NE(n.metrics().render().find("notify_sent_total{channel=\"webhook\"} 1"),
            std::string::npos)
      << n.metrics().render();

  bool stopped = false;
  n.stop([&] { stopped = true; });
  ASSERT_TRUE(testsupport::run_until(io, [&] { return stopped; }));
  // Stopped: a later message waits in the outbox for the next start.
  ASSERT_TRUE(n.webhooks().publish(n.outbox(), "harbor-flats", notify::Kind::lock_alert, "Again",
                                   boost::json::object{}));
  n.deliverer().poke();
  ASSERT_TRUE(testsupport::run_until(io, [&] { return n.deliverer().idle(); }));
  EXPECT_EQ(receiver.count(), 1u);
}

}  // namespace
}  // namespace server
