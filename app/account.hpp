#pragma once
// `latchkey account create`: make an account on a fresh install (the first owner) through the
// same identity code the server uses, with the same rules (email, E.164 phone, password policy,
// argon2id at the configured cost) and an account_created audit entry by "system:cli". Giving the
// account a role is the access domain's part.
//
// The password comes from --password-file (its first line; a trailing newline is not part of it),
// or, without one, from the terminal (asked twice, not echoed) or from standard input's first line
// when that is not a terminal. It is never taken from the command line, where `ps` would show it.

#include <optional>
#include <string>

namespace app {

struct AccountCreate {
  std::string email;
  std::string phone;
  std::string display_name;
  std::optional<std::string> password_file;
};

// Prints the new account's id on stdout. Returns the process exit code: 0 made, 1 refused (the
// reason, naming the field, on stderr), 2 the configuration or the password input is unusable.
int account_create(const std::optional<std::string>& config_file, const AccountCreate& request);

}  // namespace app
