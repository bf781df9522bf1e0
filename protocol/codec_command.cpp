// Codec of remote commands (cmd, -> lock) and their acknowledgements (ack, lock ->).
#include "protocol/codec.hpp"
#include "protocol/detail/schema.hpp"

namespace protocol {
namespace detail {

using lockcore::CommandOp;

template <class Io, Of<lockcore::Command> S>
void describe(Io& io, S& c) {
  version(io);
  io.field("id", c.id, kHex);
  io.field("op", c.op, kEnum);
  io.object("args", [&](Io& args) {  // read after "op", which decides what it holds
    if (c.op == CommandOp::events_ack) args.field("upto", c.upto, kInt);
    if (c.op == CommandOp::pair) {
      args.field("site_key", c.pair.site_key, kHex);
      args.field("server_kx", c.pair.server_kx, kHex);
      args.field("epoch", c.pair.epoch, kInt);
    }
  });
  io.field("issued", c.issued, kMs);
  io.field("expires", c.expires, kMs);
  io.field("sig", c.sig, kHex);
}

template <class Io, Of<lockcore::CommandAck> S>
void describe(Io& io, S& ack) {
  version(io);
  io.field("id", ack.id, kHex);
  outcome(io, "result", Words{"ok", "error"}, ack.error);
  io.field("bolt", ack.bolt, kEnum);
}

}  // namespace detail

std::string encode(const lockcore::Command& command) {
  return detail::encode_message(command);
}
Decoded<lockcore::Command> decode_command(std::string_view json, const lockcore::DeviceId& site,
                                          const lockcore::DeviceId& lock) {
  lockcore::Command command;
  command.site = site;
  command.lock = lock;
  return detail::decode_message(json, kMaxMessageBytes, command);
}

std::string encode(const lockcore::CommandAck& ack) {
  return detail::encode_message(ack);
}
Decoded<lockcore::CommandAck> decode_ack(std::string_view json) {
  return detail::decode_message(json, kMaxMessageBytes, lockcore::CommandAck{});
}

}  // namespace protocol
