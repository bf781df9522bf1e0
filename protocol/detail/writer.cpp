#include "protocol/detail/writer.hpp"

namespace protocol::detail {

void Writer::string(std::string_view text) {
  separate();
  out_ += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (byte < 0x20) {  // control characters: only invalid values carry them
      constexpr char kHex[] = "0123456789abcdef";
      out_ += "\\u00";
      out_ += kHex[byte >> 4];
      out_ += kHex[byte & 0x0f];
    } else {
      out_ += c;
    }
  }
  out_ += '"';
  comma_ = true;
}

}  // namespace protocol::detail
