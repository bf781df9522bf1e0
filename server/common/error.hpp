#pragma once
// server::Error: how every domain (identity, access, devices, …) reports failure. A typed code the
// API maps to an HTTP status by one table (server/api/error_mapping.hpp), the field at fault when
// there is one, and a message that names what was wrong and is safe to show the caller.

#include <optional>
#include <string>
#include <string_view>

#include "lockcore/result.hpp"
#include "server/store/error.hpp"

namespace server {

enum class Errc {
  invalid_field,    // a value has the wrong form or is out of range (field says which)
  missing_field,    // a required value is absent (field says which)
  unauthenticated,  // no valid session, wrong password, wrong MFA code
  forbidden,        // signed in, but this person's role does not allow it
  not_found,        // no such thing, or not visible to this person
  conflict,         // the state does not allow it now (duplicate, already done, wrong step)
  rate_limited,     // too many attempts; retry_after_s says when to try again
  unavailable,      // a lock, hub or the broker cannot be reached now
  timed_out,        // a lock did not answer in time; the outcome is unknown
  internal,         // a bug or a storage failure; the message is for the log
};

std::string_view to_string(Errc code);

struct Error {
  Error() = default;
  Error(Errc code, std::string message, std::string field = {})
      : code(code), message(std::move(message)), field(std::move(field)) {}

  Errc code = Errc::internal;
  std::string message;
  std::string field;
  std::optional<int> retry_after_s;

  // `"starts_at" must be RFC 3339`: `what` completes the sentence after the quoted field name.
  static Error invalid_field(std::string_view field, std::string_view what);
  static Error missing_field(std::string_view field);
  static Error not_found(std::string message) { return {Errc::not_found, std::move(message)}; }
  static Error forbidden(std::string message) { return {Errc::forbidden, std::move(message)}; }
  static Error conflict(std::string message) { return {Errc::conflict, std::move(message)}; }
  // A storage failure, logged by the caller's layer; the caller sees only that it failed.
  static Error from_store(const store::Error& error);
};

template <class T>
using Result = lockcore::Result<T, Error>;
using Status = lockcore::Result<void, Error>;

inline lockcore::Failure<Error> fail(Error error) {
  return lockcore::fail(std::move(error));
}

}  // namespace server
