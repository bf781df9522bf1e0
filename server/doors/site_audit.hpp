#pragma once
// SiteAudit: a site's audit log for those who may read it (access::Action::view_audit: owners,
// managers, and support, read-only), newest first, with the filters the console offers. The site
// is always the route's: no filter reaches another site's entries.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/clock.hpp"
#include "server/access/access.hpp"
#include "server/audit/audit_log.hpp"
#include "server/common/error.hpp"

namespace server::doors {

inline constexpr std::size_t kMaxAuditPage = 500;

struct AuditQuery {
  std::optional<audit::AuditType> type;
  std::optional<std::string> actor;    // "account:acc_…", "lock:u204", "system", …
  std::optional<std::string> subject;  // the same forms
  std::optional<lockcore::UnixMs> from;
  std::optional<lockcore::UnixMs> until;
  std::optional<std::int64_t> before;  // a page's `next`
  std::size_t limit = 100;             // 1..kMaxAuditPage
};

struct AuditPage {
  std::vector<audit::Entry> entries;
  std::optional<std::int64_t> next;  // pass as `before` for the older entries; none: the last page
};

class SiteAudit {
 public:
  SiteAudit(const runtime::Clock& clock, access::Access& access, audit::AuditLog& log)
      : clock_(clock), access_(access), log_(log) {}

  // Errors: not_found (site), forbidden, invalid_field "limit", internal.
  Result<AuditPage> list(std::string_view actor, std::string_view site, const AuditQuery& query);

 private:
  const runtime::Clock& clock_;
  access::Access& access_;
  audit::AuditLog& log_;
};

}  // namespace server::doors
