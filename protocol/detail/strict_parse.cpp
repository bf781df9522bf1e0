#include "protocol/detail/strict_parse.hpp"

#include <new>
#include <optional>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

namespace protocol::detail {
namespace json = boost::json;
namespace {

// Builds the value exactly as boost::json::parser does (through a value_stack), and keeps the path
// of every open container so that a refusal can name where it happened.
class StrictHandler {
 public:
  // v1's widest object has 12 keys. The bound also keeps the duplicate check (each key against
  // the keys before it in its object) from going quadratic on a 64 KiB object of short keys.
  static constexpr std::size_t max_object_size = kMaxObjectKeys;
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;

  // The path of the value being parsed now, e.g. "credentials[3].pin"; with leave_out = 1, the
  // path of the innermost open array/object itself.
  std::string path(std::size_t leave_out = 0) const {
    std::string p;
    for (std::size_t i = 0; i + leave_out < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      p = f.is_object ? path_join(p, f.keys.empty() ? std::string_view{} : f.keys.back())
                      : path_index(p, f.count);
    }
    return p;
  }

  // Set when the handler itself refused the input (the parser then reports a generic error).
  std::optional<DecodeError> refusal;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    frames_.push_back({true, 0, {}});
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    frames_.pop_back();
    stack.push_object(n);
    return value_done();
  }
  bool on_array_begin(json::error_code&) {
    frames_.push_back({false, 0, {}});
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    frames_.pop_back();
    stack.push_array(n);
    return value_done();
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    std::vector<std::string>& keys = frames_.back().keys;
    for (const std::string& k : keys) {
      if (k == key_) {
        keys.push_back(std::move(key_));
        refusal = make_decode_error(DecodeErrorCode::duplicate_field, path(),
                                    "appears twice in the same object");
        ec = json::error::syntax;
        return false;
      }
    }
    keys.push_back(std::move(key_));
    key_.clear();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack.push_string(s);
    return value_done();
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    stack.push_int64(i);
    return value_done();
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    stack.push_uint64(u);
    return value_done();
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    stack.push_double(d);
    return value_done();
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return value_done();
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return value_done();
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool is_object;
    std::size_t count;              // arrays: items completed so far
    std::vector<std::string> keys;  // objects: keys seen so far, the last is being parsed
  };

  bool value_done() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
    return true;
  }

  std::vector<Frame> frames_;
  std::string key_;
};

json::parse_options strict_options() {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  return options;
}

}  // namespace

std::string path_join(std::string_view parent, std::string_view key) {
  std::string p(parent);
  if (!p.empty() && !key.empty() && key.front() != '[') p += '.';
  p.append(key);
  return p;
}

std::string path_index(std::string_view parent, std::size_t index) {
  std::string p(parent);
  p.append("[").append(std::to_string(index)).append("]");
  return p;
}

Decoded<json::value> strict_parse(std::string_view text) {
  try {
    json::basic_parser<StrictHandler> parser(strict_options());
    StrictHandler& h = parser.handler();
    h.stack.reset();
    json::error_code ec;
    std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (h.refusal) return lockcore::fail(std::move(*h.refusal));
    if (ec == json::error::too_deep) {
      return lockcore::fail(make_decode_error(
          DecodeErrorCode::too_deep, h.path(),
          "nests arrays/objects deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    }
    if (ec == json::error::object_too_large) {
      return lockcore::fail(
          make_decode_error(DecodeErrorCode::too_many_items, h.path(1),
                            "has more than " + std::to_string(kMaxObjectKeys) + " keys"));
    }
    if (ec || used != text.size()) {
      std::string what = "message is not valid JSON";
      if (ec)
        what.append(" (").append(ec.message()).append(")");
      else
        what.append(" (data after the end of the document)");
      return lockcore::fail(make_decode_error(DecodeErrorCode::malformed, "", what));
    }
    return h.stack.release();
  } catch (const std::bad_alloc&) {
    return lockcore::fail(
        make_decode_error(DecodeErrorCode::too_large, "", "message needs too much memory"));
  } catch (const std::exception& e) {
    return lockcore::fail(
        make_decode_error(DecodeErrorCode::malformed, "",
                          std::string("message is not valid JSON (") + e.what() + ")"));
  }
}

}  // namespace protocol::detail
