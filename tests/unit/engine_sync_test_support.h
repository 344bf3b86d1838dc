// engine_sync_test_support.h — a fake sync server built from lb::Replica for the engine's sync
// suites, and a test device (engine over MemoryFileSlots with a seeded random source and a clock
// the test moves). The fake answers enroll/push/pull in the real server's JSON shapes: dedupe by op
// id (duplicate with the original seqs), authorize_batch as the device's role (rejected with the
// code), a monotonic seq per op, ticket numbers as `system` ops; pull returns every op after the
// cursor, paged. Knowledge base: articles published or retired by the test, served from a kb
// cursor (each id's latest version, paged) like POST /api/v1/kb/pull; deflections stored once by
// id like POST /api/v1/kb/deflections (a test can refuse one, or answer 404 like an older server).
// Enrolment as the real server does it: a repeat of the same enrolment_id with the same
// credential answers the same user and device with a fresh token (the first token used wins,
// the device's others stop working), another credential is enrolment_id_conflict; invites are
// single-use when the test says so (invite_used).
// Key directory like GET/POST /api/v1/keys: users' public keys (role for the help desk), team keys
// (the newest is current), wraps for the caller, and for the help desk who holds which wrap; its
// keys_version, which notify compares like the real server.
// Sealed envelopes like the real server (lifebuoy/api_envelope.h): GET /api/v1/info names its key;
// every other call is opened with it (counters checked; the clock check uses the envelope's own
// time — the fake has no clock) and answered sealed; `plain(request)` shows a test what was sealed.
// Signing in on another device like the real server: key backups stored by sign-in name or
// recovery id with a verifier of the proof (a name is one user's), the login of a name (a decoy
// for unknown ones), enrol with sign_in / recover answers the backup's user, role and wrap.
// Faults on demand: lose the next reply after applying the request.
// Not here: visibility filtering, limits, HTTP (the real server is tested in tests/integration).
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "engine/engine.h"
#include "engine/memory_file_slots.h"
#include "lifebuoy/api_envelope.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/wire.h"
#include "shared_test_support.h"

namespace lb::test {

struct FakeReply {
    FakeReply(int status_ = 0, std::string body_ = {}, std::string plain_ = {})
        : status(status_), body(std::move(body_)), plain(std::move(plain_)) {}
    int status = 0;
    std::string body;
    std::string plain;  // what was sealed in `body` (for the test's eyes)
};

class FakeSyncServer {
public:
    explicit FakeSyncServer(std::uint64_t seed = 7) : random_(seed), clock_(0x5e5e5e5e5e5e5e5eULL) {
        system_user_ = random_id128(random_);
        server_key_ = crypto::generate_key_pair(random_);
    }

    // What a device sealed in `r` (path, token, body), without counting it as received.
    ApiRequestPlaintext plain(const engine::SyncRequest& r) const {
        auto bytes = envelope_from_body(r.body, envelope_form_of_content_type(r.content_type), std::size_t{64} << 20);
        REQUIRE(bytes.ok());
        auto header = crypto::peek_envelope(bytes.value());
        REQUIRE(header.ok());
        auto channel = crypto::ServerChannel::create(server_key_, header.value().device);
        REQUIRE(channel.ok());
        crypto::ReplayGuard fresh;
        auto opened = channel.value().open_request(bytes.value(), fresh, header.value().timestamp_ms);
        REQUIRE(opened.ok());
        auto parsed = parse_api_request_plaintext(
            std::string_view(reinterpret_cast<const char*>(opened.value().plaintext.data()), opened.value().plaintext.size()),
            std::size_t{64} << 20);
        REQUIRE(parsed.ok());
        return parsed.value();
    }
    std::string public_key_text() const { return crypto::public_key_to_text(server_key_.public_key); }
    // An article page from `cursor`, as the plain JSON a device reads once it opened the answer.
    std::string kb_page_json(std::int64_t cursor) { return kb_pull(nlohmann::json{{"cursor", cursor}}).body; }

    bool lose_next_reply = false;  // apply the request, then answer nothing (status 0)
    std::size_t page_ops = 1000;

    FakeReply handle(const engine::SyncRequest& r) {
        FakeReply reply = r.path == "/api/v1/info" ? ok({{"v", 1}, {"server_key", public_key_text()}}) : open_and_dispatch(r);
        if (lose_next_reply) {
            lose_next_reply = false;
            return FakeReply{0, ""};
        }
        return reply;
    }

    // --- knowledge base ---
    std::size_t page_articles = 200;
    bool kb_missing = false;                      // answer the kb endpoints 404 (an older server)
    std::set<std::string> refuse_deflections_of;  // article ids whose deflections are rejected
    std::map<std::string, nlohmann::json> deflections;  // by id, as received
    std::vector<std::string> deflection_bodies;          // every push body, as received
    int kb_pulls = 0;

    void publish_article(const engine::KbArticle& a, std::int64_t version) {
        kb_put(a.id, {{"id", a.id}, {"version", version}, {"title", a.title}, {"tags", a.tags},
                      {"category", a.category}, {"audience", a.audience}, {"markdown", a.body_markdown}});
    }
    void retire_article(const std::string& id, std::int64_t version) {
        kb_put(id, {{"id", id}, {"version", version}, {"retired", true}});
    }

    int refused_envelopes = 0;  // replayed, altered, …
    std::optional<EnvelopeForm> answer_form;  // set: every answer in this form (a server from before the binary form)
    bool full_push_answers = false;  // true: pushes answered with every op's id (a server from before the seqs form)
    bool before_shared_form = false;  // true: pushes in the shared form refused (unsupported_version)
    int refused_shared_form = 0;

    // --- key directory ---
    bool keys_missing = false;  // answer /api/v1/keys 404 (an older server)
    std::vector<std::pair<std::string, std::string>> team_keys;  // (key id, public key), oldest first
    int key_uploads = 0;
    std::int64_t keys_version = 0;  // raised by every upload; notify answers changed past a device's
    // An admin's `remove-technician`: the user's role becomes requester, their devices are signed out.
    void remove_from_help_desk(const std::string& user) {
        if (auto k = user_keys_.find(user); k != user_keys_.end()) k->second.first = Role::requester;
        for (auto it = devices_.begin(); it != devices_.end();)
            it = to_hex(it->second.user) == user ? devices_.erase(it) : std::next(it);
    }
    bool has_wrap(const std::string& team_key_id, const std::string& user) const {
        return wraps_.count({team_key_id, user}) > 0;
    }

    // A malicious or broken server: an op served to every device as if someone had pushed it.
    void inject(const Op& op) {
        REQUIRE(state_.apply(Batch{op.op_id, {op}, {}}).ok());
        store(op);
    }

    const Replica& state() const { return state_; }
    // The seq this server gave an op (32 hex), 0 for none.
    std::int64_t seq_of(const std::string& op_id) const {
        auto it = seqs_.find(op_id);
        return it == seqs_.end() ? 0 : it->second;
    }
    std::size_t stored_ops() const { return log_.size(); }
    int pushes = 0;
    // --- enrolment ---
    bool single_use_invites = false;  // a second enrolment (another enrolment_id) with an invite: invite_used
    int enrolments = 0;               // enrol requests received
    int repeated_enrolments = 0;      // answered again by enrolment_id
    std::size_t users() const { return state_.entity_ids(EntityKind::user).size(); }
    bool token_works(const std::string& token) const { return devices_.count(token) > 0; }
    int sign_ins = 0, failed_sign_ins = 0;
    // The help desk's settings, like POST /api/v1/desk (unset: 404, an older server).
    std::optional<nlohmann::json> desk_settings;
    std::string desk_version = "v1";
    int desk_reads = 0;
    // The backup stored under a lookup ("name:…" / "recovery:…"): its wrap, or "" when none.
    std::string backup_wrap(const std::string& lookup) const {
        auto it = backups_.find(lookup);
        return it == backups_.end() ? "" : it->second.wrap;
    }
    std::size_t backups() const { return backups_.size(); }

private:
    struct Device { EntityId user; Role role; EntityId id; };
    struct Enrolment { std::string credential; Device device; };
    struct Backup { EntityId user; Role role; std::string verifier, wrap; };
    static constexpr const char* kEnrolmentIdConflict =
        R"({"error":{"code":"enrolment_id_conflict","message":"this enrolment_id came with another credential"}})";
    static constexpr const char* kInviteUsed =
        R"({"error":{"code":"invite_used","message":"this invite code was already used"}})";

    // As the real server: the first of a device's tokens to be used becomes its only one.
    void settle(const std::string& token, const Device& device) {
        auto& tokens = tokens_of_[to_hex(device.id)];
        for (const std::string& other : tokens)
            if (other != token) devices_.erase(other);
        tokens = {token};
    }

    // Opens the envelope, answers what it says, seals the answer to its counter — in the form the
    // request came in (answer_form overrides it).
    FakeReply open_and_dispatch(const engine::SyncRequest& r) {
        const bool envelope_type = r.content_type == kApiEnvelopeContentType || r.content_type == kApiEnvelopeBinaryContentType;
        if (!envelope_type || r.method != "POST")
            return FakeReply{400, R"({"error":{"code":"not_an_envelope","message":"sync calls are sealed"}})"};
        const EnvelopeForm form = envelope_form_of_content_type(r.content_type);
        auto bytes = envelope_from_body(r.body, form, std::size_t{64} << 20);
        if (!bytes) return FakeReply{400, R"({"error":{"code":"not_an_envelope","message":"not an envelope"}})"};
        auto header = crypto::peek_envelope(bytes.value());
        if (!header) return FakeReply{400, nlohmann::json{{"error", {{"code", header.error().code}, {"message", "?"}}}}.dump()};
        if (header.value().server_key != crypto::key_id_of(server_key_.public_key))
            return FakeReply{400, R"({"error":{"code":"server_key_changed","message":"sealed for another server key"}})"};
        auto channel = crypto::ServerChannel::create(server_key_, header.value().device);
        REQUIRE(channel.ok());
        auto opened = channel.value().open_request(bytes.value(), guard_, header.value().timestamp_ms);
        if (!opened) {
            ++refused_envelopes;
            return FakeReply{opened.error().code == "envelope_replayed" ? 409 : 400,
                             nlohmann::json{{"error", {{"code", opened.error().code}, {"message", opened.error().message}}}}.dump()};
        }
        auto parsed = parse_api_request_plaintext(
            std::string_view(reinterpret_cast<const char*>(opened.value().plaintext.data()), opened.value().plaintext.size()),
            std::size_t{64} << 20);
        REQUIRE(parsed.ok());
        engine::SyncRequest inner = r;
        inner.path = parsed.value().path;
        inner.body = parsed.value().body.dump();
        inner.bearer = parsed.value().token;
        FakeReply reply = dispatch(inner);
        auto sealed = channel.value().seal_response(
            opened.value().counter, header.value().timestamp_ms,
            std::span(reinterpret_cast<const std::uint8_t*>(reply.body.data()), reply.body.size()), random_);
        REQUIRE(sealed.ok());
        return FakeReply{reply.status, envelope_to_body(sealed.value(), answer_form.value_or(form)), reply.body};
    }

    FakeReply dispatch(const engine::SyncRequest& r) {
        nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
        if (r.path == "/api/v1/sign_in/login") {
            const std::string lookup = "name:" + body.value("name", std::string());
            crypto::PassphraseLogin login;  // a decoy (zero salt) for a name nobody holds
            if (auto b = backups_.find(lookup); b != backups_.end())
                login = crypto::login_of_wrap(crypto::from_base64url(b->second.wrap, 114).value()).value();
            return ok({{"v", 1}, {"login", crypto::to_base64url(crypto::encode_passphrase_login(login))}});
        }
        if (r.path == "/api/v1/enroll") {
            ++enrolments;
            Role role = body.contains("guest") ? Role::guest
                        : body.value("invite", "") == "tech" ? Role::technician : Role::requester;
            std::string credential = body.contains("guest") ? "guest:" + body.value("display_name", std::string())
                                                            : "invite:" + body.value("invite", std::string());
            const Backup* signing_in = nullptr;
            for (const char* way : {"sign_in", "recover"}) {
                if (!body.contains(way)) continue;
                const auto& c = body[way];
                const std::string lookup = std::string(way) == "sign_in" ? "name:" + c.value("name", std::string())
                                                                          : "recovery:" + c.value("id", std::string());
                auto proof = crypto::from_base64url(c.value("proof", std::string()), 32);
                auto b = backups_.find(lookup);
                if (b == backups_.end() || !proof || crypto::login_verifier_hex(proof.value()) != b->second.verifier) {
                    ++failed_sign_ins;
                    return FakeReply{403, R"({"error":{"code":"sign_in_failed","message":"that sign-in name and passphrase do not match"}})"};
                }
                signing_in = &b->second;
                role = b->second.role;
                credential = "sign_in:" + lookup + ":" + b->second.verifier;
            }
            const std::string enrolment_id = body.value("enrolment_id", std::string());
            if (!enrolment_id.empty()) {
                if (auto first = enrolments_.find(enrolment_id); first != enrolments_.end()) {
                    // A repeat: the same user and device, a fresh token (as the real server).
                    if (first->second.credential != credential)
                        return FakeReply{409, kEnrolmentIdConflict};
                    ++repeated_enrolments;
                    const Device d = first->second.device;
                    std::string token = to_hex(random_id128(random_)) + to_hex(random_id128(random_));
                    devices_[token] = d;
                    tokens_of_[to_hex(d.id)].push_back(token);
                    nlohmann::json again{{"device_token", token}, {"user_id", to_hex(d.user)}, {"device_id", to_hex(d.id)},
                                          {"role", to_name(d.role)}, {"node", node_to_hex(42)}};
                    if (signing_in) again["key_backup"] = signing_in->wrap;
                    return ok(again);
                }
            }
            if (signing_in) {  // another device of an existing user
                ++sign_ins;
                std::string token = to_hex(random_id128(random_)) + to_hex(random_id128(random_));
                Device d{signing_in->user, role, random_id128(random_)};
                devices_[token] = d;
                tokens_of_[to_hex(d.id)].push_back(token);
                if (!enrolment_id.empty()) enrolments_[enrolment_id] = Enrolment{credential, d};
                return ok({{"device_token", token}, {"user_id", to_hex(d.user)}, {"device_id", to_hex(d.id)},
                           {"role", to_name(role)}, {"node", node_to_hex(43)}, {"key_backup", signing_in->wrap}});
            }
            if (single_use_invites && !body.contains("guest") && !used_invites_.insert(credential).second)
                return FakeReply{403, kInviteUsed};
            std::string token = to_hex(random_id128(random_)) + to_hex(random_id128(random_));
            Device d{random_id128(random_), role, random_id128(random_)};
            devices_[token] = d;
            tokens_of_[to_hex(d.id)].push_back(token);
            if (!enrolment_id.empty()) enrolments_[enrolment_id] = Enrolment{credential, d};
            // like the real server: the user exists from enrolment on, written by `system`
            BatchBuilder user_ops(clock_, random_, kT0);
            user_ops.set(EntityKind::user, d.user, Field::user_role, std::string(to_name(role)))
                .set(EntityKind::user, d.user, Field::user_display_name, body.value("display_name", std::string("Device user")));
            Batch created = user_ops.finish();
            REQUIRE(authorize_batch(Actor{system_user_, Role::system}, state_, created).ok());
            REQUIRE(state_.apply(created).ok());
            for (const Op& op : created.ops) store(op);
            return ok({{"device_token", token}, {"user_id", to_hex(d.user)}, {"device_id", to_hex(d.id)},
                       {"role", to_name(role)}, {"node", node_to_hex(42)}});
        }
        auto device = r.bearer ? devices_.find(*r.bearer) : devices_.end();
        if (device == devices_.end()) return FakeReply{401, R"({"error":{"code":"unauthenticated","message":"?"}})"};
        settle(*r.bearer, device->second);
        if (r.path == "/api/v1/push") return push(device->second, body);
        if (r.path == "/api/v1/pull") return pull(body);
        if (r.path == "/api/v1/notify")
            return ok({{"v", 1},
                       {"changed", static_cast<std::int64_t>(log_.size()) > body.value("cursor", std::int64_t{0}) ||
                                       (body.contains("keys_version") && keys_version > body["keys_version"].get<std::int64_t>())},
                       {"cursor", body.value("cursor", std::int64_t{0})}});
        if (r.path == "/api/v1/keys" && !keys_missing) {
            if (!body.empty()) {
                FakeReply uploaded = upload_keys(device->second, body);
                if (uploaded.status != 200) return uploaded;
            }
            return keys(device->second);
        }
        if (r.path == "/api/v1/keys/backup") return store_backup(device->second, body);
        if (r.path == "/api/v1/desk" && desk_settings) {
            ++desk_reads;
            if (body.value("version", std::string()) == desk_version) return ok({{"v", 1}, {"version", desk_version}, {"unchanged", true}});
            return ok({{"v", 1}, {"version", desk_version}, {"settings", *desk_settings}});
        }
        if (kb_missing) return FakeReply{404, R"({"error":{"code":"unknown_endpoint","message":"no such API endpoint"}})"};
        if (r.path == "/api/v1/kb/pull") return kb_pull(body);
        if (r.path == "/api/v1/kb/deflections") return kb_deflections(body);
        return FakeReply{404, "{}"};
    }

    static FakeReply ok(const nlohmann::json& j) { return FakeReply{200, j.dump()}; }

    FakeReply store_backup(const Device& caller, const nlohmann::json& body) {
        const bool recovery = body.value("kind", std::string()) == "recovery";
        const std::string lookup = recovery ? "recovery:" + body.value("recovery_id", std::string())
                                            : "name:" + body.value("sign_in_name", std::string());
        auto wrap = crypto::from_base64url(body.value("wrap", std::string()), 114);
        auto proof = crypto::from_base64url(body.value("proof", std::string()), 32);
        auto published = user_keys_.find(to_hex(caller.user));
        if (!wrap || !proof || published == user_keys_.end() ||
            crypto::key_id_to_hex(crypto::peek_wrapped_key_id(wrap.value()).value()) !=
                crypto::key_id_to_hex(crypto::key_id_of(crypto::public_key_from_text(published->second.second).value())))
            return FakeReply{400, R"({"error":{"code":"bad_key","message":"wrap: not of your published user key"}})"};
        if (auto held = backups_.find(lookup); held != backups_.end() && held->second.user != caller.user)
            return FakeReply{409, R"({"error":{"code":"sign_in_name_taken","message":"someone else signs in with that name"}})"};
        for (auto it = backups_.begin(); it != backups_.end();)  // one of each kind per user
            it = it->second.user == caller.user && (it->first.rfind("recovery:", 0) == 0) == recovery ? backups_.erase(it)
                                                                                                    : std::next(it);
        backups_[lookup] = Backup{caller.user, caller.role, crypto::login_verifier_hex(proof.value()),
                                  body.value("wrap", std::string())};
        return ok({{"v", 1}, {"stored", true}});
    }

    static bool help_desk(Role role) { return role == Role::technician || role == Role::admin; }

    FakeReply keys(const Device& caller) {
        nlohmann::json users = nlohmann::json::array();
        for (const auto& [user, entry] : user_keys_) {
            nlohmann::json u{{"user_id", user}, {"public_key", entry.second}};
            if (help_desk(caller.role)) u["role"] = to_name(entry.first);
            users.push_back(std::move(u));
        }
        nlohmann::json team = nlohmann::json::array(), wraps = nlohmann::json::array(), holders = nlohmann::json::array();
        for (const auto& [id, key] : team_keys) team.push_back({{"key_id", id}, {"public_key", key}});
        for (const auto& [where, wrap] : wraps_) {
            if (where.second == to_hex(caller.user)) wraps.push_back({{"team_key_id", where.first}, {"wrap", wrap}});
            auto bytes = crypto::from_base64url(wrap, crypto::kSealedKeyBytes);
            auto header = bytes ? crypto::peek_sealed_key(bytes.value()) : Result<crypto::SealedKeyHeader>(make_error("x", "x"));
            if (header && help_desk(caller.role))
                holders.push_back({{"team_key_id", where.first}, {"user_id", where.second},
                                   {"recipient_key_id", crypto::key_id_to_hex(header.value().recipient)}});
        }
        nlohmann::json out{{"v", 1}, {"keys_version", keys_version}, {"users", users}, {"team_keys", team},
                           {"current_team_key", team_keys.empty() ? nlohmann::json() : nlohmann::json(team_keys.back().first)},
                           {"team_key_wraps", wraps}};
        if (help_desk(caller.role)) out["team_key_holders"] = holders;
        return ok(out);
    }

    FakeReply upload_keys(const Device& caller, const nlohmann::json& body) {
        ++key_uploads;
        ++keys_version;
        if ((body.contains("team_public_key") || body.contains("team_key_wraps")) && !help_desk(caller.role))
            return FakeReply{403, R"({"error":{"code":"forbidden","message":"only the help desk publishes team keys"}})"};
        if (body.contains("user_public_key")) user_keys_[to_hex(caller.user)] = {caller.role, body["user_public_key"].get<std::string>()};
        if (body.contains("team_public_key")) {
            auto key = crypto::public_key_from_text(body["team_public_key"].get<std::string>());
            REQUIRE(key.ok());
            team_keys.emplace_back(crypto::key_id_to_hex(crypto::key_id_of(key.value())), body["team_public_key"].get<std::string>());
        }
        for (const auto& w : body.value("team_key_wraps", nlohmann::json::array()))
            wraps_[{w["team_key_id"].get<std::string>(), w["user_id"].get<std::string>()}] = w["wrap"].get<std::string>();
        return ok({{"v", 1}});
    }

    FakeReply push(const Device& device, const nlohmann::json& body) {
        const bool shared_form = body.value("v", 1) == kPushVersionSharedForm;  // wire.h
        if (shared_form && before_shared_form) {
            ++refused_shared_form;
            return FakeReply{400, R"({"error":{"code":"unsupported_version","message":"v: this server speaks version 1"}})"};
        }
        ++pushes;
        nlohmann::json results = nlohmann::json::array();
        for (const auto& b : body["batches"]) {
            auto batch = shared_form ? decode_shared_batch_json(b) : decode_batch(b.dump());
            REQUIRE(batch.ok());
            nlohmann::json entry{{"batch_id", to_hex(batch.value().batch_id)}};
            nlohmann::json ops = nlohmann::json::array();
            bool all_known = true;
            for (const Op& op : batch.value().ops) all_known = all_known && state_.contains(op.op_id);
            if (all_known) {
                entry["status"] = "duplicate";
                for (const Op& op : batch.value().ops)
                    ops.push_back({{"op_id", to_hex(op.op_id)}, {"status", "duplicate"}, {"seq", seqs_[to_hex(op.op_id)]}});
            } else if (auto allowed = authorize_batch(Actor{device.user, device.role}, state_, batch.value()); !allowed) {
                entry["status"] = "rejected";
                entry["error"] = {{"code", allowed.error().code}, {"message", allowed.error().message}};
                for (const Op& op : batch.value().ops) ops.push_back({{"op_id", to_hex(op.op_id)}, {"status", "rejected"}});
            } else {
                std::vector<EntityId> new_tickets;
                for (const Op& op : batch.value().ops)
                    if (op.entity == EntityKind::ticket && op.field == Field::ticket_status &&
                        !state_.exists(EntityKind::ticket, op.entity_id))
                        new_tickets.push_back(op.entity_id);
                REQUIRE(state_.apply(batch.value()).ok());
                entry["status"] = "accepted";
                for (const Op& op : batch.value().ops) {
                    store(op);
                    ops.push_back({{"op_id", to_hex(op.op_id)}, {"status", "accepted"}, {"seq", seqs_[to_hex(op.op_id)]}});
                }
                for (const EntityId& t : new_tickets) {
                    BatchBuilder numbering(clock_, random_, kT0);
                    numbering.set(EntityKind::ticket, t, Field::ticket_number, std::int64_t{next_number_++});
                    Batch n = numbering.finish();
                    REQUIRE(authorize_batch(Actor{system_user_, Role::system}, state_, n).ok());
                    REQUIRE(state_.apply(n).ok());
                    store(n.ops[0]);
                }
            }
            if (body.value("answer", std::string()) == "seqs" && !full_push_answers) {  // api_routes.h
                nlohmann::json seqs = nlohmann::json::array();
                for (const auto& o : ops) seqs.push_back(o.value("seq", std::int64_t{0}));
                entry["seqs"] = std::move(seqs);
            } else {
                entry["ops"] = std::move(ops);
            }
            results.push_back(std::move(entry));
        }
        return ok({{"v", 1}, {"high_water", log_.size()}, {"results", results}});
    }

    FakeReply pull(const nlohmann::json& body) {
        std::size_t cursor = body["cursor"].get<std::size_t>();
        nlohmann::json ops = nlohmann::json::array();
        std::size_t i = cursor;
        for (; i < log_.size() && ops.size() < page_ops; ++i) ops.push_back(nlohmann::json::parse(log_[i]));
        return ok({{"v", 1}, {"cursor", i}, {"more", i < log_.size()}, {"ops", ops}});
    }

    void kb_put(const std::string& id, nlohmann::json body) {
        kb_articles_[id] = {++kb_seq_, std::move(body)};
    }

    FakeReply kb_pull(const nlohmann::json& body) {
        ++kb_pulls;
        const std::int64_t cursor = body["cursor"].get<std::int64_t>();
        const std::size_t limit = std::min<std::size_t>(page_articles, body.value("max_articles", page_articles));
        std::vector<std::pair<std::int64_t, const nlohmann::json*>> after;
        for (const auto& [id, entry] : kb_articles_)
            if (entry.first > cursor) after.emplace_back(entry.first, &entry.second);
        std::sort(after.begin(), after.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        nlohmann::json articles = nlohmann::json::array();
        std::int64_t next = cursor;
        for (std::size_t i = 0; i < after.size() && i < limit; ++i) {
            articles.push_back(*after[i].second);
            next = after[i].first;
        }
        const bool more = after.size() > limit;
        if (!more) next = std::max(next, kb_seq_);
        return ok({{"v", 1}, {"cursor", next}, {"more", more}, {"articles", articles}});
    }

    FakeReply kb_deflections(const nlohmann::json& body) {
        deflection_bodies.push_back(body.dump());
        nlohmann::json results = nlohmann::json::array();
        for (const auto& d : body["deflections"]) {
            const std::string id = d["id"].get<std::string>();
            if (refuse_deflections_of.count(d["article_id"].get<std::string>()) > 0) {
                results.push_back({{"id", id}, {"status", "rejected"},
                                   {"error", {{"code", "deflection_id_conflict"}, {"message", "refused by the test"}}}});
                continue;
            }
            const bool known = deflections.count(id) > 0;
            if (!known) deflections[id] = d;
            results.push_back({{"id", id}, {"status", known ? "duplicate" : "accepted"}});
        }
        return ok({{"v", 1}, {"results", results}});
    }

    void store(const Op& op) {
        log_.push_back(encode_op(op));
        seqs_[to_hex(op.op_id)] = static_cast<std::int64_t>(log_.size());
    }

    SeededRandom random_;
    HybridClock clock_;
    EntityId system_user_;
    Replica state_;
    std::vector<std::string> log_;  // seq = index + 1
    std::map<std::string, std::int64_t> seqs_;
    std::map<std::string, Device> devices_;                    // by token
    std::map<std::string, std::vector<std::string>> tokens_of_;  // device id → its tokens
    std::map<std::string, Enrolment> enrolments_;              // by enrolment_id
    std::set<std::string> used_invites_;
    std::int64_t next_number_ = 1000;
    std::map<std::string, std::pair<std::int64_t, nlohmann::json>> kb_articles_;  // id → (kb seq, latest)
    std::int64_t kb_seq_ = 0;
    std::map<std::string, std::pair<Role, std::string>> user_keys_;               // user id → (role, public key)
    std::map<std::pair<std::string, std::string>, std::string> wraps_;           // (team key id, user id) → wrap
    std::map<std::string, Backup> backups_;                                      // by lookup
    crypto::KeyPair server_key_;
    crypto::ReplayGuard guard_;
};

// One device: storage, randomness and clock outlive the engine, so it can be crashed and reopened.
struct TestDevice {
    engine::MemoryFileSlots storage = engine::MemoryFileSlots::for_database(true);
    SeededRandom random;
    std::int64_t now = static_cast<std::int64_t>(kT0);
    std::unique_ptr<engine::Engine> engine;
    std::uint64_t next_id = 1;

    explicit TestDevice(std::uint64_t seed = 1) : random(seed) { open(); }

    void open() {
        engine.reset();
        engine::EngineEnvironment env;
        env.storage = &storage;
        env.random = &random;
        env.now_ms = [this] { return now; };
        env.passphrase_params = crypto::PassphraseParams{1, 64};  // Argon2id at test cost
        auto opened = engine::Engine::open(std::move(env));
        REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
        engine = std::move(opened.value());
    }
    void crash_and_reopen() {
        engine.reset();
        storage.crash();
        open();
    }

    nlohmann::json call(const std::string& cmd, nlohmann::json args = nlohmann::json::object()) {
        nlohmann::json request{{"v", 1}, {"id", next_id++}, {"cmd", cmd}, {"args", std::move(args)}};
        return nlohmann::json::parse(engine->handle_message(request.dump()));
    }
    std::string create(const std::string& title) {
        auto r = call("create_ticket", {{"title", title}, {"description", "d"}, {"impact", "medium"}, {"urgency", "high"}});
        REQUIRE_MESSAGE(r["ok"] == true, r.dump());
        return r["result"]["ticket_id"].get<std::string>();
    }

    // The next request, after answering the one plain call (the server's key, pinned before
    // enrolling) when that comes first.
    std::optional<engine::SyncRequest> next_request(FakeSyncServer& server) {
        auto request = engine->sync_next_request(now);
        if (request && request->step == engine::SyncStep::server_info) {
            FakeReply reply = server.handle(*request);
            REQUIRE(engine->sync_on_response(*request, reply.status, reply.body, now).ok());
            request = engine->sync_next_request(now);
        }
        return request;
    }

    // Runs the sync loop against `server` until nothing is due now; returns the exchanges made.
    int sync(FakeSyncServer& server, int max_steps = 100) {
        int steps = 0;
        while (steps < max_steps) {
            auto request = engine->sync_next_request(now);
            if (!request) break;
            FakeReply reply = server.handle(*request);
            REQUIRE(engine->sync_on_response(*request, reply.status, reply.body, now).ok());
            ++steps;
        }
        return steps;
    }
};

// Every device syncs in turn, three times (so each pulls what the others pushed — and a ticket
// filed before the help desk had a team key reaches the team's key, then the technicians), a second apart.
inline void exchange(FakeSyncServer& server, std::initializer_list<TestDevice*> devices) {
    for (int round = 0; round < 3; ++round) {
        for (TestDevice* d : devices) {
            d->now += 1000;
            d->engine->sync_wake(d->now);
            d->sync(server);
        }
    }
}

}  // namespace lb::test
