// api_routes.h — the sync API over HTTP: paths and methods, the bearer token, JSON shapes, status
// codes. Bodies go through open_request()/seal_response() (api_codec.h, the envelope seam).
//
//   GET  /api/v1/info    {"v","version","server_key","guest_enrolment","limits":{…}}        public
//   POST /api/v1/enroll  {"invite":"…"} | {"guest":true}, optional display_name, device_label,
//                        platform, public_key
//                     →  {"v","device_token","user_id","device_id","role","node","display_name",
//                         "server_key","limits":{…}}
//   POST /api/v1/push    {"v":1,"batches":[<wire batch>…]}                          Bearer token
//                     →  {"v","high_water","results":[{"batch_id","status","error"?:{code,message},
//                         "ops":[{"op_id","status","seq"?}]}]}       status: accepted|duplicate|rejected
//   POST /api/v1/pull    {"cursor":N,"max_ops"?,"max_bytes"?}                       Bearer token
//                     →  {"v","cursor":N,"more":bool,"ops":[<wire op>…]}
//   GET  /api/v1/notify?cursor=N[&wait=S]  long-poll: answers {"v","changed":bool,"cursor":N} as
//                        soon as an op the caller may see lies after N, or after S seconds
//                        (≤ max_long_poll_seconds) with changed=false               Bearer token
//   GET  /api/v1/keys    {"v","server_key","users":[…],"team_keys":[…],"current_team_key",
//                         "team_key_wraps":[…]}                                      Bearer token
//   POST /api/v1/keys    {"user_public_key"?,"team_public_key"?,"team_key_wraps"?}  Bearer token
//   POST /api/v1/kb/pull {"cursor":N,"max_articles"?,"max_bytes"?}                  Bearer token
//                     →  {"v","cursor":N,"more":bool,"articles":[<article>|<tombstone>…]}
//                        article {"id","version","title","tags","category","audience","markdown"},
//                        tombstone {"id","version","retired":true} (kb_catalog.h); any enrolled
//                        device, guests included; help-desk-only audiences: technicians, admins
//   POST /api/v1/kb/deflections {"v":1,"deflections":[{"id","article_id","article_version",
//                        "at_ms"}…]}                                                 Bearer token
//                     →  {"v","results":[{"id","status","error"?:{code,message}}]}  in request
//                        order; status accepted|duplicate|rejected (kb_api_codec.h)
//   GET  /metrics        Prometheus text (metrics.h)
// Errors: {"error":{"code","message"}} with the status of api_http_status() — never a crash.
// Not here: what each call does (sync_service.h), sockets (http_server.h).
#pragma once

#include "api_codec.h"
#include "metrics.h"
#include "routes.h"
#include "sync_service.h"

namespace lb::server {

class ApiRoutes {
public:
    ApiRoutes(SyncService& service, Metrics& metrics) : service_(service), metrics_(metrics) {}
    Reply handle(const RequestView& request) const;

private:
    Reply info() const;
    Reply enroll(const RequestView& request) const;
    Reply push(const Caller& caller, const RequestView& request) const;
    Reply pull(const Caller& caller, const RequestView& request) const;
    Reply notify(const Caller& caller, std::string_view query) const;
    Reply keys(const Caller& caller, const RequestView& request) const;
    Reply kb_pull(const Caller& caller, const RequestView& request) const;
    Reply kb_deflections(const Caller& caller, const RequestView& request) const;
    Reply metrics() const;

    SyncService& service_;
    Metrics& metrics_;
};

}  // namespace lb::server
