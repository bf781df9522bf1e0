#pragma once
// How every protocol decoder (messages and topics) refuses its input: a typed code for programs,
// the JSON path of the offending field and a sentence for the log.

#include <cstdint>
#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace protocol {

enum class DecodeErrorCode : std::uint8_t {
  too_large,            // the payload is over its message type's size limit
  malformed,            // not JSON: syntax, invalid UTF-8, trailing data
  too_deep,             // arrays/objects nested beyond kMaxJsonDepth
  wrong_type,           // e.g. a string or 1.5 where an integer is due, a non-object message
  missing_field,        // a required field is absent
  unknown_field,        // v1 is strict: a field this message does not define
  duplicate_field,      // the same key twice in one object
  unsupported_version,  // "v" is an integer other than 1
  out_of_range,         // an integer (or a list's length) outside what the field allows
  bad_enum,             // a string that is not one of the field's names
  bad_hex,              // hex of the wrong length, or not lowercase hex digits
  bad_id,               // not a valid site/lock/hub id (lockcore::is_valid_id)
  bad_pin,              // not 4–8 decimal digits
  bad_time,             // a schedule time that is not HH:MM in range
  bad_text,             // free text (firmware version) with characters or a length not allowed
  too_many_items,       // more array items than the fixed capacity, or an object over 32 keys
  duplicate_item,       // a list that is a set (slots, days, locks, key ids) repeats an item
  inconsistent,         // fields that contradict each other (start >= end, result ok with error)
  bad_topic,            // a topic that is not latchkey/v1/{site}/{device}/{channel}
};

// The code's name, e.g. "missing_field", for logs and metrics.
std::string_view to_string(DecodeErrorCode code);

struct DecodeError {
  DecodeErrorCode code = DecodeErrorCode::malformed;
  std::string field;    // JSON path such as "credentials[3].pin"; "" for the message as a whole
  std::string message;  // e.g. "credentials[3].pin" must be 4–8 digits
};

// Builds the error with its message: `"<field>" <what>`, or just `what` for the message as a whole.
DecodeError make_decode_error(DecodeErrorCode code, std::string field, std::string_view what);

template <class T>
using Decoded = lockcore::Result<T, DecodeError>;

}  // namespace protocol
