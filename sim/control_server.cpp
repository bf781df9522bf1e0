#include "sim/control_server.hpp"

#include <array>
#include <deque>
#include <string>
#include <sys/stat.h>
#include <vector>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sim/control.hpp"

namespace sim {
namespace {

namespace asio = boost::asio;
using Socket = asio::local::stream_protocol::socket;

// One connection: reads lines, runs them one at a time, writes the answers in order. A client
// that sends faster than its requests run stops being read until the queue drains.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, Fleet& fleet, std::shared_ptr<bool> open)
      : socket_(std::move(socket)), fleet_(fleet), open_(std::move(open)) {}

  void start() { read(); }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  static constexpr std::size_t kMaxQueued = 64;

  struct Line {
    std::string text;
    bool too_long = false;
  };

  void read() {
    reading_ = true;
    socket_.async_read_some(asio::buffer(chunk_),
                            [self = shared_from_this()](boost::system::error_code ec,
                                                        std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    reading_ = false;
    if (ec || !*open_) return;  // closed by the peer, or the server is gone
    for (std::size_t i = 0; i < n; ++i) {
      const char c = chunk_[i];
      if (c == '\n') {
        lines_.push_back({std::move(line_), discarding_});
        line_.clear();
        discarding_ = false;
      } else if (!discarding_ && line_.size() >= kMaxControlLine) {
        discarding_ = true;  // answered too_long at its newline
        line_.clear();
      } else if (!discarding_) {
        line_.push_back(c);
      }
    }
    run_next();
  }

  // One request at a time, answered in arrival order.
  void run_next() {
    if (in_run_next_) return;  // an answer given synchronously: the loop below goes on
    in_run_next_ = true;
    while (!running_ && !lines_.empty()) {
      Line next = std::move(lines_.front());
      lines_.pop_front();
      if (!next.text.empty() && next.text.back() == '\r') next.text.pop_back();
      if (next.too_long) {
        reply(control_error_answer({"too_long", too_long_message()}));
        continue;
      }
      if (next.text.empty()) continue;
      auto request = parse_control_line(next.text);
      if (!request) {
        reply(control_error_answer(request.error()));
        continue;
      }
      running_ = true;
      execute_control(fleet_, *request, [self = shared_from_this()](std::string answer) {
        if (!*self->open_) return;
        self->running_ = false;
        self->reply(std::move(answer));
        self->run_next();
      });
    }
    in_run_next_ = false;
    if (!reading_ && lines_.size() < kMaxQueued && socket_.is_open()) read();
  }

  void reply(std::string answer) {
    answer.push_back('\n');
    const bool idle = outbox_.empty();
    outbox_.push_back(std::move(answer));
    if (idle) write();
  }

  void write() {
    asio::async_write(socket_, asio::buffer(outbox_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return;
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) self->write();
                      });
  }

  Socket socket_;
  Fleet& fleet_;
  std::shared_ptr<bool> open_;
  std::array<char, 4096> chunk_{};
  std::string line_;
  std::deque<Line> lines_;
  std::deque<std::string> outbox_;
  bool discarding_ = false;
  bool running_ = false;
  bool reading_ = false;
  bool in_run_next_ = false;
};

}  // namespace

struct ControlServer::State : std::enable_shared_from_this<ControlServer::State> {
  State(asio::io_context& io, Fleet& fleet) : acceptor(io), fleet(fleet) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](boost::system::error_code ec, Socket s) {
      if (!*self->open) return;
      if (!ec) {
        auto session = std::make_shared<Session>(std::move(s), self->fleet, self->open);
        session->start();
        std::erase_if(self->sessions, [](const auto& weak) { return weak.expired(); });
        self->sessions.push_back(session);
      }
      self->accept();
    });
  }

  asio::local::stream_protocol::acceptor acceptor;
  Fleet& fleet;
  std::shared_ptr<bool> open = std::make_shared<bool>(true);
  std::vector<std::weak_ptr<Session>> sessions;
};

SimResult<std::unique_ptr<ControlServer>> ControlServer::open(asio::io_context& io, Fleet& fleet,
                                                              const std::filesystem::path& path) {
  auto refuse = [&](const std::string& why) {
    return sim_fail(SimErrorCode::io_error,
                    fmt::format("cannot open the control socket {}: {}", path.string(), why));
  };
  // A socket address holds at most 107 bytes of path.
  if (path.string().size() >= sizeof(sockaddr_un::sun_path)) return refuse("the path is too long");
  const asio::local::stream_protocol::endpoint endpoint(path.string());
  std::error_code status_error;
  const auto status = std::filesystem::symlink_status(path, status_error);
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_socket(status))
      return refuse("something other than a socket is there");
    Socket probe(io);
    boost::system::error_code ec;
    probe.connect(endpoint, ec);
    if (!ec) return refuse("another process is listening there");
    std::filesystem::remove(path, status_error);  // stale: nobody listens
  }
  auto state = std::make_shared<State>(io, fleet);
  boost::system::error_code ec;
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (ec) return refuse(ec.message());
  ::chmod(path.c_str(), 0600);
  state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return refuse(ec.message());
  state->accept();
  spdlog::info("sim: control channel on {}", path.string());
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(state), path));
}

ControlServer::ControlServer(std::shared_ptr<State> state, std::filesystem::path path)
    : state_(std::move(state)), path_(std::move(path)) {}

ControlServer::~ControlServer() {
  close();
}

void ControlServer::close() {
  if (!*state_->open) return;
  *state_->open = false;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  for (const auto& weak : state_->sessions) {
    if (auto session = weak.lock()) session->close();
  }
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace sim
