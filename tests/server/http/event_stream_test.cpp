// EventStream framing and closing, without a socket.

#include "server/http/event_stream.hpp"

#include <gtest/gtest.h>

namespace server::http {
namespace {

TEST(EventStream, FramesEventsAsServerSentEvents) {
  EventStream s;
  EXPECT_TRUE(s.send("state", "{\"bolt\":\"locked\"}", "41"));
  EXPECT_TRUE(s.send("", "a\r\nb\n"));
  EXPECT_TRUE(s.send("evil\nevent: forged", "x", "1\n2"));
  EXPECT_TRUE(s.comment("ping"));
  EXPECT_EQ(s.take(),
            "id: 41\nevent: state\ndata: {\"bolt\":\"locked\"}\n\n"
            "data: a\ndata: b\ndata: \n\n"
            "id: 12\nevent: evilevent: forged\ndata: x\n\n"
            ": ping\n\n");
  EXPECT_EQ(s.take(), "");
}

TEST(EventStream, ClosingRunsOnCloseOnceAndRefusesMore) {
  EventStream s;
  int closed = 0;
  s.on_close([&] { ++closed; });
  s.close();
  s.close();
  EXPECT_EQ(closed, 1);
  EXPECT_FALSE(s.send("x", "y"));
  int late = 0;
  s.on_close([&] { ++late; });  // registering after the close runs at once
  EXPECT_EQ(late, 1);
}

TEST(EventStream, ASlowReaderIsDroppedNotBufferedForever) {
  EventStream s(64);
  int closed = 0;
  s.on_close([&] { ++closed; });
  EXPECT_TRUE(s.send("e", std::string(30, 'x')));
  EXPECT_FALSE(s.send("e", std::string(30, 'x')));
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(closed, 1);
}

TEST(EventStream, WakesTheConnectionOnEverySend) {
  EventStream s;
  int woken = 0;
  s.set_waker([&] { ++woken; });
  s.send("a", "1");
  s.comment("x");
  s.close();
  EXPECT_EQ(woken, 3);
}

}  // namespace
}  // namespace server::http
