#include "protocol/decode_error.hpp"

namespace protocol {

std::string_view to_string(DecodeErrorCode code) {
  switch (code) {
    case DecodeErrorCode::too_large:
      return "too_large";
    case DecodeErrorCode::malformed:
      return "malformed";
    case DecodeErrorCode::too_deep:
      return "too_deep";
    case DecodeErrorCode::wrong_type:
      return "wrong_type";
    case DecodeErrorCode::missing_field:
      return "missing_field";
    case DecodeErrorCode::unknown_field:
      return "unknown_field";
    case DecodeErrorCode::duplicate_field:
      return "duplicate_field";
    case DecodeErrorCode::unsupported_version:
      return "unsupported_version";
    case DecodeErrorCode::out_of_range:
      return "out_of_range";
    case DecodeErrorCode::bad_enum:
      return "bad_enum";
    case DecodeErrorCode::bad_hex:
      return "bad_hex";
    case DecodeErrorCode::bad_id:
      return "bad_id";
    case DecodeErrorCode::bad_pin:
      return "bad_pin";
    case DecodeErrorCode::bad_time:
      return "bad_time";
    case DecodeErrorCode::bad_text:
      return "bad_text";
    case DecodeErrorCode::too_many_items:
      return "too_many_items";
    case DecodeErrorCode::duplicate_item:
      return "duplicate_item";
    case DecodeErrorCode::inconsistent:
      return "inconsistent";
    case DecodeErrorCode::bad_topic:
      return "bad_topic";
  }
  return "unknown";
}

DecodeError make_decode_error(DecodeErrorCode code, std::string field, std::string_view what) {
  std::string message;
  if (!field.empty()) message.append("\"").append(field).append("\" ");
  message.append(what);
  return DecodeError{code, std::move(field), std::move(message)};
}

}  // namespace protocol
