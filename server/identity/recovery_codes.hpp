#pragma once
// Recovery codes: the look-up secrets that stand in for the authenticator app when it is lost.
// Ten per account, each 120 random bits written as 24 Crockford base32 characters in groups of
// four ("7K3M-9QXV-…"). At 120 bits (>= 112) NIST SP 800-63B 5.1.2.2 allows an unkeyed one-way
// hash, so the store keeps BLAKE2b-256 digests of the normalised code and checks one by looking
// up its digest: no slow KDF per code, no per-code loop. Each is good once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace server::identity::recovery {

inline constexpr std::size_t kCount = 10;
inline constexpr std::size_t kCharacters = 24;

// kCount new codes, formatted for people.
std::vector<std::string> generate();
// The canonical form of what someone typed: uppercase, separators (hyphen, space) dropped, the
// look-alikes O, I and L read as 0, 1 and 1. nullopt unless that is kCharacters of the alphabet.
std::optional<std::string> normalise(std::string_view typed);

}  // namespace server::identity::recovery
