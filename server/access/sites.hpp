#pragma once
// Sites: a home or a property, with its IANA time zone. Whoever creates a site becomes its owner
// (a site-wide owner membership with an open window), in the same transaction.

#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/access/policy.hpp"

namespace server::access {

struct NewSite {
  std::string id;  // 1-32 of [A-Za-z0-9._-]
  std::string name;
  std::string timezone;  // IANA, e.g. "Europe/London"
};

struct SiteView {
  Site site;
  std::vector<Role> my_roles;  // of the viewer's visible memberships there, in the order granted
};

class Sites {
 public:
  Sites(const Deps& deps, const Policy& policy) : deps_(deps), policy_(policy) {}

  // Audited site_created and membership_started. Errors: invalid_field "id", "name" or
  // "timezone"; forbidden (the creator's account is not active); conflict (the id is taken:
  // site ids are one namespace, they are MQTT topic levels); the store's.
  Result<SiteView> create(std::string_view actor, const NewSite& site);
  // Errors: not_found (no such site, or not visible to `actor`); the store's.
  Result<SiteView> get(std::string_view actor, std::string_view site);
  // Every site visible to `actor`, by id.
  Result<std::vector<SiteView>> list_mine(std::string_view actor);

 private:
  Result<SiteView> view(std::string_view actor, const Site& site);

  const Deps& deps_;
  const Policy& policy_;
};

}  // namespace server::access
