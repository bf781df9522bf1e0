#include "server/api/access_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/access/schedule.hpp"
#include "server/api/route_support.hpp"
#include "server/http/json.hpp"
#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

constexpr std::size_t kMaxId = 64;  // read a little past 32 so the domain names the rule
constexpr std::size_t kMaxName = 400;
constexpr std::size_t kMaxEmail = 320;

json::object site_json(const access::SiteView& v) {
  json::array roles;
  for (access::Role r : v.my_roles)
    roles.emplace_back(to_string(r));
  return {{"id", v.site.id},
          {"name", v.site.name},
          {"timezone", v.site.timezone},
          {"created", http::format_rfc3339(v.site.created)},
          {"my_roles", std::move(roles)}};
}

json::object unit_json(const access::Unit& u) {
  return {{"site", u.site}, {"id", u.id}, {"name", u.name}};
}

json::object membership_json(const access::Membership& m) {
  const std::string schedule = access::format_schedule(m.schedule);
  return {{"id", m.id},
          {"site", m.site},
          {"unit", m.unit ? json::value(*m.unit) : json::value(nullptr)},
          {"account", m.account},
          {"role", to_string(m.role)},
          {"valid_from", optional_time(m.valid_from)},
          {"valid_until", optional_time(m.valid_until)},
          {"schedule", schedule.empty() ? json::value(nullptr) : json::value(schedule)},
          {"status", to_string(m.status)},
          {"created", http::format_rfc3339(m.created)}};
}

json::object transfer_json(const access::Transfer& t) {
  return {{"id", t.id},
          {"site", t.site},
          {"from_account", t.from_account},
          {"to_account", t.to_account},
          {"status", to_string(t.status)},
          {"created", http::format_rfc3339(t.created)},
          {"expires", http::format_rfc3339(t.expires)}};
}

std::optional<access::Role> read_role(http::ObjectReader& in, std::optional<Response>& error) {
  std::string name = in.text("role", 32);
  if (!in.ok()) return std::nullopt;
  auto role = access::role_from(name);
  if (!role)
    error = answer(Error::invalid_field(
        "role", "must be one of owner, manager, maintenance, resident, guest, support"));
  return role;
}

struct Invitation {
  std::string email;
  access::Grant grant;
  std::optional<Response> error;
};

void add_site_routes(http::Router& router, access::Access& a, const Authenticate& auth) {
  router.post("/api/v1/sites", authenticated(auth, [&a](const std::string& actor, Request& r) {
                auto site = read_body<access::NewSite>(r, [](http::ObjectReader& in) {
                  access::NewSite s;
                  s.id = in.text("id", kMaxId);
                  s.name = in.text("name", kMaxName);
                  s.timezone = in.text("timezone", kMaxId);
                  return s;
                });
                if (!site) return site.error();
                return answer(a.sites().create(actor, *site), site_json, 201);
              }));
  router.get("/api/v1/sites", authenticated(auth, [&a](const std::string& actor, Request&) {
               return answer(a.sites().list_mine(actor), [](const auto& sites) {
                 return list_json("sites", sites, site_json);
               });
             }));
  router.get("/api/v1/sites/{site}",
             authenticated(auth, [&a](const std::string& actor, Request& r) {
               const std::string site = param(r, "site");
               auto view = a.sites().get(actor, site);
               if (!view) return answer(view.error());
               json::object out = site_json(*view);
               json::array actions;
               const access::Scope scope{site, {}, {}};
               for (std::size_t i = 0; i < access::kActionCount; ++i) {
                 const auto action = static_cast<access::Action>(i);
                 auto d = a.policy().decide(actor, action, scope, a.deps().clock.now());
                 if (!d) return answer(d.error());
                 if (d->allowed()) actions.emplace_back(to_string(action));
               }
               out["my_actions"] = std::move(actions);
               return http::json_response(200, out);
             }));
}

void add_unit_routes(http::Router& router, access::Access& a, const Authenticate& auth) {
  router.get(
      "/api/v1/sites/{site}/units", authenticated(auth, [&a](const std::string& actor, Request& r) {
        return answer(a.units().list(actor, param(r, "site")),
                      [](const auto& units) { return list_json("units", units, unit_json); });
      }));
  router.post("/api/v1/sites/{site}/units",
              authenticated(auth, [&a](const std::string& actor, Request& r) {
                auto unit = read_body<access::Unit>(r, [](http::ObjectReader& in) {
                  access::Unit u;
                  u.id = in.text("id", kMaxId);
                  u.name = in.text("name", kMaxName);
                  return u;
                });
                if (!unit) return unit.error();
                return answer(a.units().create(actor, param(r, "site"), *unit), unit_json, 201);
              }));
  router.get("/api/v1/sites/{site}/units/{unit}",
             authenticated(auth, [&a](const std::string& actor, Request& r) {
               return answer(a.units().get(actor, param(r, "site"), param(r, "unit")), unit_json);
             }));
  router.patch("/api/v1/sites/{site}/units/{unit}",
               authenticated(auth, [&a](const std::string& actor, Request& r) {
                 auto name = read_body<std::string>(
                     r, [](http::ObjectReader& in) { return in.text("name", kMaxName); });
                 if (!name) return name.error();
                 return answer(a.units().rename(actor, param(r, "site"), param(r, "unit"), *name),
                               unit_json);
               }));
  router.del("/api/v1/sites/{site}/units/{unit}",
             authenticated(auth, [&a](const std::string& actor, Request& r) {
               return answer(a.units().remove(actor, param(r, "site"), param(r, "unit")));
             }));
}

void add_people_routes(http::Router& router, access::Access& a, const Authenticate& auth) {
  router.get("/api/v1/sites/{site}/people",
             authenticated(auth, [&a](const std::string& actor, Request& r) {
               return answer(a.memberships().people(actor, param(r, "site")), [](const auto& all) {
                 return list_json("people", all, [](const access::Person& p) {
                   json::object o = membership_json(p.membership);
                   o["email"] = p.email;
                   return o;
                 });
               });
             }));
  router.post("/api/v1/sites/{site}/people",
              authenticated(auth, [&a](const std::string& actor, Request& r) {
                auto invitation = read_body<Invitation>(r, [](http::ObjectReader& in) {
                  Invitation i;
                  i.email = in.text("email", kMaxEmail);
                  auto role = read_role(in, i.error);
                  if (role) i.grant.role = *role;
                  i.grant.unit = in.optional_text("unit", kMaxId);
                  i.grant.valid_from = in.optional_time("valid_from");
                  i.grant.valid_until = in.optional_time("valid_until");
                  i.grant.schedule = in.optional_text("schedule", access::kMaxScheduleLength + 1);
                  return i;
                });
                if (!invitation) return invitation.error();
                if (invitation->error) return std::move(*invitation->error);
                return answer(a.memberships().invite(actor, param(r, "site"), invitation->email,
                                                     invitation->grant),
                              membership_json, 201);
              }));
  router.patch("/api/v1/sites/{site}/people/{membership}",
               authenticated(auth, [&a](const std::string& actor, Request& r) {
                 std::optional<Response> error;
                 auto role = read_body<std::optional<access::Role>>(
                     r, [&error](http::ObjectReader& in) { return read_role(in, error); });
                 if (!role) return role.error();
                 if (error) return std::move(*error);
                 return answer(a.memberships().change_role(actor, param(r, "site"),
                                                           param(r, "membership"), **role),
                               membership_json);
               }));
  router.del("/api/v1/sites/{site}/people/{membership}",
             authenticated(auth, [&a](const std::string& actor, Request& r) {
               return answer(a.memberships().end(actor, param(r, "site"), param(r, "membership")));
             }));
  router.post(
      "/api/v1/sites/{site}/accounts/{account}/suspend",
      authenticated(auth, [&a](const std::string& actor, Request& r) {
        return answer(a.memberships().suspend(actor, param(r, "site"), param(r, "account")));
      }));
  router.post(
      "/api/v1/sites/{site}/accounts/{account}/reinstate",
      authenticated(auth, [&a](const std::string& actor, Request& r) {
        return answer(a.memberships().reinstate(actor, param(r, "site"), param(r, "account")));
      }));
}

void add_transfer_routes(http::Router& router, access::Access& a, const Authenticate& auth) {
  router.post("/api/v1/sites/{site}/transfers",
              authenticated(auth, [&a](const std::string& actor, Request& r) {
                auto email = read_body<std::string>(
                    r, [](http::ObjectReader& in) { return in.text("email", kMaxEmail); });
                if (!email) return email.error();
                return answer(a.transfers().start(actor, param(r, "site"), *email), transfer_json,
                              201);
              }));
  router.get("/api/v1/transfers", authenticated(auth, [&a](const std::string& actor, Request&) {
               return answer(a.transfers().list_mine(actor), [](const auto& all) {
                 return list_json("transfers", all, transfer_json);
               });
             }));
  router.post("/api/v1/transfers/{transfer}/accept",
              authenticated(auth, [&a](const std::string& actor, Request& r) {
                return answer(a.transfers().accept(actor, param(r, "transfer")), transfer_json);
              }));
  router.post("/api/v1/transfers/{transfer}/cancel",
              authenticated(auth, [&a](const std::string& actor, Request& r) {
                return answer(a.transfers().cancel(actor, param(r, "transfer")), transfer_json);
              }));
}

}  // namespace

void add_access_routes(http::Router& router, access::Access& access, Authenticate authenticate) {
  add_site_routes(router, access, authenticate);
  add_unit_routes(router, access, authenticate);
  add_people_routes(router, access, authenticate);
  add_transfer_routes(router, access, authenticate);
}

}  // namespace server::api
