#pragma once
// Message descriptions. Each message has one `describe(Io& io, S& message)`, a template over the
// direction: Io is Writer (S const: encode) or Reader (S mutable: decode). The description names
// every key once, in wire order, with its field kind, so both directions share one definition.
// This header has the kinds' shorthands, the composite fields used by several messages, and the
// encode/decode entry points every codec source calls.

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "lockcore/credentials.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/detail/kinds.hpp"
#include "protocol/detail/reader.hpp"
#include "protocol/detail/strict_parse.hpp"
#include "protocol/detail/writer.hpp"

namespace protocol::detail {

// S is T for decoding or const T for encoding.
template <class S, class T>
concept Of = std::same_as<std::remove_const_t<S>, T>;

inline constexpr Bool kBool{};
inline constexpr Enum kEnum{};
inline constexpr Hex kHex{};
inline constexpr Id kId{};
inline constexpr Firmware kFirmware{};
inline constexpr PinDigits kPin{};
inline constexpr Days kDays{};
inline constexpr Int kSlot{1, lockcore::kMaxPinSlots};

// "v":1, first in every message so that another version is refused as such before anything else.
template <class Io>
void version(Io& io) {
  int v = 1;
  io.field("v", v, Version{});
}

// A success word plus the error that explains a failure, e.g. "result":"error","error":"jammed".
// `error` (an enum whose `none` means success) is present exactly when the word says failure.
template <class Io, class E>
void outcome(Io& io, std::string_view word_key, Words words, E& error) {
  using Error = std::remove_const_t<E>;
  bool failed = error != Error::none;
  io.field(word_key, failed, words);
  bool has_error = io.optional("error", error, kEnum, Error::none);
  io.validate([&]() -> Check {
    if (failed && !has_error) {
      return Refusal{
          DecodeErrorCode::missing_field,
          "is required when " + std::string(word_key) + " is " + std::string(words.when_true),
          "error"};
    }
    if (has_error && (!failed || error == Error::none)) {
      return Refusal{DecodeErrorCode::inconsistent,
                     "must name an error, and only when " + std::string(word_key) + " is " +
                         std::string(words.when_true),
                     "error"};
    }
    return std::nullopt;
  });
}

// A validity window as "not_before"/"not_after" (0: unbounded). Optional keys are omitted at 0.
template <class Io, Of<lockcore::Window> W>
void window(Io& io, W& w, bool required) {
  if (required) {
    io.field("not_before", w.not_before, kMs);
    io.field("not_after", w.not_after, kMs);
  } else {
    io.optional("not_before", w.not_before, kMs, lockcore::UnixMs{0});
    io.optional("not_after", w.not_after, kMs, lockcore::UnixMs{0});
  }
  io.validate([&]() -> Check {
    if (w.not_before == 0 || w.not_after == 0 || w.not_before < w.not_after) return std::nullopt;
    return Refusal{DecodeErrorCode::inconsistent, "must be after not_before", "not_after"};
  });
}

// A weekly schedule as an optional "schedule" object, absent when days_mask is 0 (any time).
template <class Io, Of<lockcore::WeeklySchedule> S>
void schedule(Io& io, S& s) {
  bool present = s.days_mask != 0;
  io.optional_object("schedule", present, [&](Io& o) {
    o.field("days", s.days_mask, kDays);
    o.field("start", s.start_min, ClockTime{1439});
    o.field("end", s.end_min, ClockTime{1440});
    o.validate([&]() -> Check {
      if (s.start_min < s.end_min) return std::nullopt;
      return Refusal{DecodeErrorCode::inconsistent, "must be after start", "end"};
    });
  });
}

// Lists that are sets: refuses the first item whose key(item) repeats an earlier one's, at
// "<list>[i].<field>" (or "<list>[i]" when field is empty).
template <class Io, class Items, class Key>
void unique(Io& io, std::string_view list, std::string_view field, const Items& items, Key key) {
  io.validate([&]() -> Check {
    for (std::size_t i = 1; i < items.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (key(items[j]) == key(items[i])) {
          return Refusal{DecodeErrorCode::duplicate_item, "repeats an earlier item",
                         path_join(path_index(list, i), field)};
        }
      }
    }
    return std::nullopt;
  });
}

// ---- entry points -----------------------------------------------------------------------------

template <class T>
std::string encode_message(const T& message) {
  Writer w;
  w.begin_object();
  describe(w, message);
  w.end_object();
  return w.take();
}

// Decodes into a copy of `message` (which carries what the payload does not, e.g. the topic's
// site and lock) and returns it only if everything was accepted.
template <class T>
Decoded<T> decode_message(std::string_view text, std::size_t limit, T message) {
  if (text.size() > limit) {
    return lockcore::fail(make_decode_error(DecodeErrorCode::too_large, "",
                                            "message is " + std::to_string(text.size()) +
                                                " bytes, over its limit of " +
                                                std::to_string(limit)));
  }
  try {
    Decoded<boost::json::value> doc = strict_parse(text);
    if (!doc) return lockcore::fail(doc.error());
    if (!doc->is_object()) {
      return lockcore::fail(
          make_decode_error(DecodeErrorCode::wrong_type, "", "message must be a JSON object"));
    }
    std::optional<DecodeError> error;
    Reader reader(doc->get_object(), "", error);
    describe(reader, message);
    reader.finish();
    if (error) return lockcore::fail(std::move(*error));
    return message;
  } catch (const std::exception& e) {  // allocation failure: nothing else here throws
    return lockcore::fail(make_decode_error(
        DecodeErrorCode::too_large, "", std::string("message could not be decoded: ") + e.what()));
  }
}

}  // namespace protocol::detail
