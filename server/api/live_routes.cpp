#include "server/api/live_routes.hpp"

#include <memory>

#include "server/http/event_stream.hpp"

namespace server::api {

void add_live_routes(http::Router& router, live::Bus& bus, const doors::LiveFeed& feed,
                     access::Access& access, const runtime::Clock& clock, Authenticate auth) {
  router.get("/api/v1/sites/{site}/live",
             authenticated(
                 auth, [&bus, &feed, &access, &clock](const std::string& actor, http::Request& r) {
                   const std::string site = param(r, "site");
                   if (Status s = access.policy().check(actor, access::Action::view_site,
                                                        {site, {}, {}}, clock.now());
                       !s) {
                     return answer(s.error());
                   }
                   auto stream = std::make_shared<http::EventStream>();
                   std::weak_ptr<http::EventStream> weak = stream;
                   auto subscription = std::make_shared<live::Bus::Subscription>(
                       bus.subscribe(site, [weak, &feed, actor](const live::Update& u) {
                         auto s = weak.lock();
                         if (s && !s->closed() && feed.visible(actor, u)) s->send(u.topic, u.json);
                       }));
                   stream->on_close([subscription] { subscription->reset(); });
                   return http::event_stream_response(stream);
                 }));
}

}  // namespace server::api
