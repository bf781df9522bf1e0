#pragma once
// EventStream: one server-sent-events answer held open. A handler creates it, hands a shared_ptr
// to whatever produces events (a lock's state, a command's progress), and returns
// event_stream_response(stream). Producers then send() from the server's io_context thread; the
// connection writes the frames as they come, sends a comment as heartbeat when idle, and closes
// the stream when the client leaves, the server stops, or the client reads too slowly.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/http/message.hpp"

namespace server::http {

class EventStream {
 public:
  // A client that lets more than `max_buffered` bytes pile up is dropped (the stream closes).
  explicit EventStream(std::size_t max_buffered = 1 << 20) : max_buffered_(max_buffered) {}

  // Queues one event ("event: <name>\ndata: <line>\n…\n\n", with "id:" when given). Multi-line
  // data becomes several data: lines; CR and LF in the name or id are dropped. False once closed.
  bool send(std::string_view event, std::string_view data, std::string_view id = {});
  // Queues a comment line (": text"), which clients ignore; used for heartbeats.
  bool comment(std::string_view text);
  // Ends the stream (idempotent). The connection finishes writing what is queued, then closes.
  void close();
  bool closed() const { return closed_; }
  // Runs once, when the stream closes for any reason: unsubscribe the producer here.
  void on_close(std::function<void()> callback);

  // For the connection: takes what is queued, and registers what to call when more arrives.
  std::string take() { return std::exchange(pending_, {}); }
  void set_waker(std::function<void()> waker) { waker_ = std::move(waker); }

 private:
  bool append(std::string frame);

  std::size_t max_buffered_;
  std::string pending_;
  bool closed_ = false;
  std::function<void()> waker_;
  std::function<void()> on_close_;
};

// The head of an event stream answer (200, text/event-stream, no caching) bound to `stream`.
Response event_stream_response(std::shared_ptr<EventStream> stream);

}  // namespace server::http
