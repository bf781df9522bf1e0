#pragma once
// The decoding side of a message description (see schema.hpp): reads one JSON object strictly.
// Every field the description names is looked up by key; finish() refuses keys it never named.
// The first refusal wins and turns every later call into a no-op, so a description reads straight
// through without checking after each field.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "protocol/decode_error.hpp"
#include "protocol/detail/strict_parse.hpp"

namespace protocol::detail {

// What a field kind or a cross-field check refuses. `at` is a path relative to the field being read
// ("[2]" for the third item of a list) or, from validate(), to the object ("credentials[5].slot").
struct Refusal {
  DecodeErrorCode code;
  std::string what;  // e.g. "must be 4–8 digits"
  std::string at;
};
using Check = std::optional<Refusal>;

class Reader {
 public:
  Reader(const boost::json::object& object, std::string path, std::optional<DecodeError>& error)
      : object_(object), path_(std::move(path)), error_(error), used_(object.size(), false) {}

  // ---- the description interface, shared with Writer ----
  template <class T, class Kind>
  void field(std::string_view key, T& value, const Kind& kind) {
    if (const boost::json::value* v = take(key, true)) refuse_at(key, kind.read(*v, value));
  }
  // Absent: `value` becomes `absent`. Returns whether the key was present.
  template <class T, class Kind>
  bool optional(std::string_view key, T& value, const Kind& kind, const T& absent) {
    value = absent;
    const boost::json::value* v = take(key, false);
    if (v) refuse_at(key, kind.read(*v, value));
    return v != nullptr;
  }
  template <class Fn>
  void object(std::string_view key, Fn&& fn) {
    if (const boost::json::value* v = take(key, true)) read_object(*v, path_join(path_, key), fn);
  }
  template <class Fn>
  void optional_object(std::string_view key, bool& present, Fn&& fn) {
    const boost::json::value* v = take(key, false);
    present = v != nullptr;
    if (v) read_object(*v, path_join(path_, key), fn);
  }
  // An array of objects into a FixedVector, refusing more items than its capacity.
  template <class Items, class Fn>
  void objects(std::string_view key, Items& items, Fn&& fn) {
    const boost::json::array* array = take_array(key, items.capacity());
    if (!array) return;
    for (std::size_t i = 0; i < array->size() && !failed(); ++i) {
      typename std::remove_reference_t<decltype(*items.begin())> item{};
      read_object((*array)[i], path_index(path_join(path_, key), i),
                  [&](Reader& r) { fn(r, item); });
      [[maybe_unused]] bool fits = items.push_back(item);  // take_array checked the capacity
    }
  }
  // An array of scalars of one kind into a FixedVector.
  template <class Items, class Kind>
  void values(std::string_view key, Items& items, const Kind& kind) {
    const boost::json::array* array = take_array(key, items.capacity());
    if (!array) return;
    for (std::size_t i = 0; i < array->size() && !failed(); ++i) {
      typename std::remove_reference_t<decltype(*items.begin())> item{};
      refuse_at(key, kind.read((*array)[i], item), path_index("", i));
      [[maybe_unused]] bool fits = items.push_back(item);
    }
  }
  // A cross-field check, run only if everything before it was accepted.
  template <class CheckFn>
  void validate(CheckFn&& check) {
    if (!failed()) refuse_at("", check());
  }

  // Refuses the first key that no call above asked for.
  void finish();
  bool failed() const { return error_.has_value(); }

 private:
  template <class Fn>
  void read_object(const boost::json::value& v, std::string path, Fn&& fn) {
    if (!v.is_object()) return refuse(path, {DecodeErrorCode::wrong_type, "must be an object", ""});
    Reader inner(v.get_object(), std::move(path), error_);
    fn(inner);
    inner.finish();
  }

  const boost::json::value* take(std::string_view key, bool required);
  const boost::json::array* take_array(std::string_view key, std::size_t capacity);
  void refuse_at(std::string_view key, Check refusal, std::string_view item = {});
  void refuse(std::string_view path, const Refusal& refusal);

  const boost::json::object& object_;
  std::string path_;
  std::optional<DecodeError>& error_;
  std::vector<bool> used_;  // by position in object_
};

}  // namespace protocol::detail
