#include "server/doors/site_audit.hpp"

namespace server::doors {

Result<AuditPage> SiteAudit::list(std::string_view actor, std::string_view site,
                                  const AuditQuery& query) {
  if (Status s = access_.policy().check(actor, access::Action::view_audit,
                                        {std::string(site), {}, {}}, clock_.now());
      !s) {
    return fail(s.error());
  }
  if (query.limit == 0 || query.limit > kMaxAuditPage)
    return fail(Error::invalid_field("limit", "must be 1 to 500"));
  audit::Filter filter;
  filter.site = std::string(site);
  filter.type = query.type;
  filter.actor = query.actor;
  filter.subject = query.subject;
  filter.from = query.from;
  filter.until = query.until;
  filter.before_seq = query.before;
  filter.limit = query.limit;
  auto entries = log_.list(filter);
  if (!entries) return fail(Error::from_store(entries.error()));
  AuditPage page{std::move(*entries), std::nullopt};
  if (page.entries.size() == query.limit) page.next = page.entries.back().seq;
  return page;
}

}  // namespace server::doors
