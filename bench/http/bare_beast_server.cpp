#include "bench/http/bare_beast_server.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Documents& documents)
      : stream_(std::move(socket)), documents_(documents) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->answer();
                     });
  }

 private:
  void answer() {
    auto it = documents_.find(std::string(request_.target()));
    response_ = {};
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    if (it == documents_.end()) {
      response_.result(http::status::not_found);
    } else {
      response_.result(http::status::ok);
      response_.set(http::field::content_type, "application/json");
      response_.body() = it->second;
    }
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec && self->response_.keep_alive()) self->read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  const Documents& documents_;
};

void accept(tcp::acceptor& acceptor, const Documents& documents) {
  acceptor.async_accept([&](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    socket.set_option(tcp::no_delay(true));
    std::make_shared<Session>(std::move(socket), documents)->read();
    accept(acceptor, documents);
  });
}

}  // namespace

unsigned short start_bare_beast_server(asio::io_context& io, const Documents& documents) {
  static std::unique_ptr<tcp::acceptor> keep;  // one per process is all the benchmark needs
  keep = std::make_unique<tcp::acceptor>(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  accept(*keep, documents);
  return keep->local_endpoint().port();
}

}  // namespace bench
