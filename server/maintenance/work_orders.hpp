#pragma once
// Work orders: jobs for a site's on-site team. The rules (signals.hpp) open them; the team lists,
// takes and closes them. At most one order that is not closed exists per site, lock or hub, and
// kind: a rule that fires again while one is open adds nothing.
//
// Opening is audited (work_order_opened, actor "system") and enqueues a `work_order` email to
// each maintenance member and manager of the site who is in good standing, or to its owners when
// it has neither, all in the opening transaction. Taking and closing are audited
// (work_order_taken, work_order_closed) in theirs.
//
// Who may list, take and close: access::Action::manage_work_orders at the site (owner, manager,
// maintenance). A site the caller cannot see, and an order of another site, are not_found.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/common/error.hpp"
#include "server/maintenance/deps.hpp"
#include "server/maintenance/model.hpp"

namespace server::maintenance {

// A close note's limit, in bytes.
inline constexpr std::size_t kMaxNote = 2000;
// The most orders one list returns (newest first).
inline constexpr std::size_t kListLimit = 500;

struct Opening {
  std::string site;
  std::string target;  // lock id, or hub id for Kind::hub
  Kind kind = Kind::door_alignment;
  std::string reason;
  std::optional<UnixMs> forecast_empty_at;
};

class WorkOrders {
 public:
  explicit WorkOrders(const Deps& deps) : deps_(deps) {}

  // --- for the rules, inside their open transaction ---
  // Opens the order unless one of this kind for this target is not closed; returns it, or nullopt
  // when one was open already. Errors: not_found "site" (no such site), the store's.
  Result<std::optional<WorkOrder>> open_in_transaction(const Opening& opening);
  // When the last closed order of this kind for this target was closed; nullopt: none was.
  // Evidence from before then is spent. Errors: the store's.
  Result<std::optional<UnixMs>> last_closed(std::string_view site, std::string_view target,
                                            Kind kind);
  // After the opening transaction committed: publishes the order and pokes delivery.
  void announce(const WorkOrder& order, bool enqueued);

  // --- for the on-site team ---
  // Newest first, at most kListLimit. Errors: not_found (site not visible), forbidden, the store's.
  Result<std::vector<WorkOrder>> list(std::string_view actor, std::string_view site,
                                      const ListFilter& filter);
  // open -> taken by `actor`. Errors: not_found (site not visible, or no such order at this site),
  // forbidden, conflict (taken or closed already), the store's.
  Result<WorkOrder> take(std::string_view actor, std::string_view site, std::string_view id);
  // open or taken -> closed, with what was done. Errors: as take(); invalid_field "note" (empty,
  // longer than kMaxNote, or with control characters other than line breaks); conflict (closed
  // already).
  Result<WorkOrder> close(std::string_view actor, std::string_view site, std::string_view id,
                          std::string_view note);

  // --- for other domains and the scenario runner: no actor, never the answer to a request ---
  Result<std::vector<WorkOrder>> find(std::string_view site, const ListFilter& filter);

 private:
  Status may_manage(std::string_view actor, std::string_view site) const;
  Result<WorkOrder> require(std::string_view site, std::string_view id);
  // Inside a transaction: the order's audit entry.
  Status audit(audit::AuditType type, std::string_view actor, const WorkOrder& order);
  // Inside a transaction: a work_order message to each of the site's on-site team.
  Result<bool> tell_team(const WorkOrder& order);

  const Deps& deps_;
};

}  // namespace server::maintenance
