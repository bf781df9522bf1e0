#pragma once
// The codes domain's records: a keypad code as people ask for it and as the API shows it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/devices/types.hpp"

namespace server::codes {

using lockcore::UnixMs;

// own: the caller's own code; guest: a code the caller makes for a guest (who needs no account);
// staff: a code a manager or owner makes for another member of the site.
enum class CodeKind : std::uint8_t { own, guest, staff };
std::string_view to_string(CodeKind kind);
std::optional<CodeKind> code_kind_from(std::string_view name);

inline constexpr std::size_t kMaxLocksPerCode = 500;
inline constexpr std::size_t kMaxNameLength = 100;

struct NewCode {
  std::string name;  // what the code is called ("Ana's code", "Dog walker")
  CodeKind kind = CodeKind::own;
  std::optional<std::string> pin;     // 4-8 digits; absent: the server picks one
  std::optional<std::string> holder;  // staff codes: the member's account id
  std::vector<std::string> locks;     // 1..kMaxLocksPerCode lock ids of the site
  std::optional<UnixMs> valid_from;
  std::optional<UnixMs> valid_until;
  std::string schedule;        // "Mo-Fr 08:00-17:00" (access/schedule.hpp); "": any time
  std::uint16_t max_uses = 0;  // 0: unlimited
};

struct Code {
  std::string id;  // "code_…", also the credential id on every lock
  std::string site;
  std::string name;
  CodeKind kind = CodeKind::own;
  std::optional<std::string> holder;  // account id; nullopt for a guest's code
  std::string created_by;             // account id
  std::optional<UnixMs> valid_from;
  std::optional<UnixMs> valid_until;
  std::string schedule;
  std::uint16_t max_uses = 0;
  UnixMs created = 0;
  std::optional<UnixMs> deleted;
  std::vector<devices::Placement> locks;  // where it is, with each lock's status
};

// What create() answers: the code and its PIN, shown this once (list() never returns a PIN).
struct CreatedCode {
  Code code;
  std::string pin;
};

// A lock where someone's code is still being taken off (a move-out's "removal pending").
struct PendingRemoval {
  std::string code;
  std::string lock;
  devices::CredentialStatus status = devices::CredentialStatus::removing;
};

}  // namespace server::codes
