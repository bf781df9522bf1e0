#pragma once
// HTTP routes of the identity domain, documented in openapi/identity.json. Each maps a request
// to identity's C++ interface and its answer back, nothing more; every check is the domain's.
//
//   POST   /api/v1/sessions               sign in            201 tokens
//   POST   /api/v1/sessions/refresh       rotate tokens      200 tokens
//   DELETE /api/v1/sessions/current       sign out           204
//   GET    /api/v1/me                     who am I           200
//   PUT    /api/v1/me/password            change password    204
//   POST   /api/v1/me/mfa                 begin TOTP         201 secret + otpauth URI
//   POST   /api/v1/me/mfa/confirm         switch TOTP on     200 recovery codes
//   DELETE /api/v1/me/mfa                 switch TOTP off    204
//   POST   /api/v1/me/recovery-codes      new recovery codes 200 recovery codes
//   GET    /api/v1/me/devices             list devices       200
//   POST   /api/v1/me/devices             enroll this app    201 device
//   DELETE /api/v1/me/devices/{device}    remove a device    204
//
// Every answer carries `Cache-Control: no-store`: they hold tokens, secrets or personal data.
// Creating and suspending accounts over HTTP belongs to the access domain (it decides who may).

#include "server/api/auth.hpp"
#include "server/http/router.hpp"
#include "server/identity/identity.hpp"

namespace server::api {

void add_identity_routes(http::Router& router, identity::Identity& identity, const Auth& auth);

}  // namespace server::api
