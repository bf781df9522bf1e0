#include "server/http/event_stream.hpp"

namespace server::http {

namespace {

std::string single_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

}  // namespace

bool EventStream::append(std::string frame) {
  if (closed_) return false;
  if (pending_.size() + frame.size() > max_buffered_) {
    close();
    return false;
  }
  pending_ += frame;
  if (waker_) waker_();
  return true;
}

bool EventStream::send(std::string_view event, std::string_view data, std::string_view id) {
  std::string frame;
  if (!id.empty()) frame += "id: " + single_line(id) + "\n";
  if (!event.empty()) frame += "event: " + single_line(event) + "\n";
  std::size_t start = 0;
  for (;;) {
    std::size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    frame += "data: ";
    frame += line;
    frame += "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  frame += "\n";
  return append(std::move(frame));
}

bool EventStream::comment(std::string_view text) {
  return append(": " + single_line(text) + "\n\n");
}

void EventStream::close() {
  if (closed_) return;
  closed_ = true;
  if (waker_) waker_();
  if (auto callback = std::exchange(on_close_, {})) callback();
}

void EventStream::on_close(std::function<void()> callback) {
  if (closed_) {
    if (callback) callback();
    return;
  }
  on_close_ = std::move(callback);
}

Response event_stream_response(std::shared_ptr<EventStream> stream) {
  Response r;
  r.message.result(boost::beast::http::status::ok);
  r.message.set(boost::beast::http::field::content_type, "text/event-stream");
  r.message.set(boost::beast::http::field::cache_control, "no-cache");
  r.events = std::move(stream);
  return r;
}

}  // namespace server::http
