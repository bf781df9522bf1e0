#pragma once
// The baseline: a bare Boost.Beast HTTP/1.1 server in the shape of Beast's own async example
// (callbacks, one flat_buffer and one request per connection, keep-alive), answering GETs from an
// in-memory map of path -> JSON. No router, no limits beyond Beast's defaults, no logging, no
// metrics: what Latchkey's server is measured against.

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace bench {

using Documents = std::unordered_map<std::string, std::string>;

// Starts accepting on 127.0.0.1:<any port> and returns the port. Runs on `io`.
unsigned short start_bare_beast_server(boost::asio::io_context& io, const Documents& documents);

}  // namespace bench
