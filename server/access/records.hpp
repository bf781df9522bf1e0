#pragma once
// Reading and writing the access domain's rows, and the two side effects every act has (its audit
// entry, its notices), shared by sites, memberships, the policy and transfers. Every function
// runs on deps.db, inside the caller's transaction when there is one. Errors: the store's, as
// server::Error (internal or unavailable).

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/common/error.hpp"

namespace server::access {

// A store result as a domain result.
template <class T>
Result<T> lift(store::Result<T> r) {
  if (!r) return fail(Error::from_store(r.error()));
  return std::move(*r);
}
Status lift(const store::Status& s);

std::string account_ref(std::string_view account);  // "account:acc_…", an audit actor/subject

// A JSON object of string fields, as text (an audit entry's detail).
std::string json_detail(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// A site or unit id: 1-32 of [A-Za-z0-9._-] (an MQTT topic level). Errors: invalid_field.
Status check_id(std::string_view field, std::string_view id);
// A display name: 1-100 bytes of valid UTF-8 without control characters. Errors: invalid_field.
Status check_name(std::string_view field, std::string_view name);

Result<std::optional<Site>> find_site(store::Database& db, std::string_view id);
// A unit that exists and has not been removed.
Result<std::optional<Unit>> find_unit(store::Database& db, std::string_view site,
                                      std::string_view id);

// Memberships that have not ended: of one account at one site, or of everyone at one site.
Result<std::vector<Membership>> memberships_of(store::Database& db, std::string_view account,
                                               std::string_view site);
Result<std::vector<Membership>> memberships_at(store::Database& db, std::string_view site);
// Any membership by id, only if it belongs to `site`.
Result<std::optional<Membership>> find_membership(store::Database& db, std::string_view site,
                                                  std::string_view id);
// Every site where `account` has a membership that has not ended.
Result<std::vector<std::string>> sites_of(store::Database& db, std::string_view account);

Status insert_membership(store::Database& db, const Membership& m);
Status update_membership(store::Database& db, const Membership& m, UnixMs now);

// Appends the act's audit entry. `detail` is a JSON object as text.
Status audit(const Deps& deps, audit::AuditType type, std::string_view actor, std::string_view site,
             std::string subject, std::string detail = "{}");

// An email security notice to `account` (nothing when the account has no email or is unknown).
Status notify_account(const Deps& deps, std::string_view account, std::string_view site,
                      std::string subject, std::string body);

}  // namespace server::access
