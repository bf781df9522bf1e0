#pragma once
// Cases: the lockout_cases and lockout_case_actions rows. Every function runs on the domain's
// connection, inside the caller's transaction when there is one; the caller writes the act's
// audit entry and messages in the same transaction. Errors: the store's (internal, unavailable).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/common/error.hpp"
#include "server/lockout/model.hpp"
#include "server/store/database.hpp"

namespace server::lockout {

class Cases {
 public:
  explicit Cases(store::Database& db) : db_(db) {}

  Status insert(const CaseRecord& c);
  // With its actions, in the order taken; nullopt when there is none.
  Result<std::optional<CaseRecord>> find(std::string_view id);
  // The site's cases, newest first, at most `limit` (without their actions).
  Result<std::vector<CaseRecord>> at_site(std::string_view site, std::size_t limit);
  // The newest case of `account` at that door not yet resolved (open or escalated), if any.
  Result<std::optional<std::string>> open_case_of(std::string_view account, std::string_view site,
                                                  std::string_view lock);
  // Appends an action; returns its seq.
  Result<int> add_action(std::string_view case_id, const CaseAction& action);
  Status set_outcome(std::string_view case_id, int seq, const std::string& outcome);
  Status set_verification(std::string_view case_id, Verification verification);
  // Binds a case opened without signing in to the account staff verified the caller holds.
  Status set_account(std::string_view case_id, std::string_view account);
  Status resolve(std::string_view case_id, std::optional<ActionId> by, UnixMs at,
                 UnixMs duration_ms);
  Status escalate(std::string_view case_id, UnixMs at);

 private:
  Result<std::vector<CaseRecord>> select(std::string_view where, const store::Params& params,
                                         std::size_t limit);

  store::Database& db_;
};

}  // namespace server::lockout
