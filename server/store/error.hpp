#pragma once
// How the store reports failure: a typed code a domain can act on, and a message for the log.

#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace server::store {

enum class Errc {
  unique_violation,       // a UNIQUE or PRIMARY KEY constraint refused the row
  foreign_key_violation,  // a FOREIGN KEY constraint refused the row (or the delete)
  constraint_violation,   // NOT NULL or CHECK
  busy,                   // the database stayed locked past the busy timeout, or a queue is full
  io,                     // the file could not be opened, read, written or synced; disk full
  misuse,                 // a programming error: bad SQL, wrong column type, nested transaction
  closed,                 // the store (or the batch writer) has been stopped
  internal,               // anything else the engine reports
};

std::string_view to_string(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
};

template <class T>
using Result = lockcore::Result<T, Error>;
using Status = lockcore::Result<void, Error>;

inline lockcore::Failure<Error> error(Errc code, std::string message) {
  return lockcore::fail(Error{code, std::move(message)});
}

}  // namespace server::store
