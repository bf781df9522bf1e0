#pragma once
// Ids the domains make for their rows (the store has no autoincrement): a short prefix naming the
// kind of thing and 128 random bits, e.g. "acc_3f9c…". Unguessable, so an id alone grants nothing
// and says nothing about how many rows exist.

#include <string>
#include <string_view>

namespace server::store {

// prefix + "_" + 32 lowercase hex characters from libsodium's randombytes.
std::string new_id(std::string_view prefix);

}  // namespace server::store
