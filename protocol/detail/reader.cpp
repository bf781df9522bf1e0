#include "protocol/detail/reader.hpp"

namespace protocol::detail {

void Reader::finish() {
  std::size_t i = 0;
  for (const auto& entry : object_) {
    if (!used_[i++]) {
      refuse(path_join(path_, entry.key()),
             {DecodeErrorCode::unknown_field, "is not a field of this message (v1 is strict)", ""});
      return;
    }
  }
}

const boost::json::value* Reader::take(std::string_view key, bool required) {
  if (failed()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end()) {
    if (required)
      refuse(path_join(path_, key), {DecodeErrorCode::missing_field, "is required", ""});
    return nullptr;
  }
  used_[static_cast<std::size_t>(it - object_.begin())] = true;
  return &it->value();
}

const boost::json::array* Reader::take_array(std::string_view key, std::size_t capacity) {
  const boost::json::value* v = take(key, true);
  if (!v) return nullptr;
  if (!v->is_array()) {
    refuse(path_join(path_, key), {DecodeErrorCode::wrong_type, "must be an array", ""});
    return nullptr;
  }
  if (v->get_array().size() > capacity) {
    refuse(path_join(path_, key), {DecodeErrorCode::too_many_items,
                                   "must have at most " + std::to_string(capacity) + " items", ""});
    return nullptr;
  }
  return &v->get_array();
}

void Reader::refuse_at(std::string_view key, Check refusal, std::string_view item) {
  if (refusal) refuse(path_join(path_join(path_, key), item), *refusal);
}

void Reader::refuse(std::string_view path, const Refusal& refusal) {
  if (failed()) return;
  error_ = make_decode_error(refusal.code, path_join(path, refusal.at), refusal.what);
}

}  // namespace protocol::detail
