// lifecycle.cpp — [SECTION] THE lifecycle table; [SECTION] authorize_batch, the one function that
// enforces it. Not here: structural validation (op.cpp), applying (replica.cpp).
#include "lifebuoy/lifecycle.h"

#include <algorithm>
#include <string>

#include "lifebuoy/replica.h"

namespace lb {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] The table
// ---------------------------------------------------------------------------------------------

constexpr Access N = Access::no;
constexpr Access ON = Access::own_new;
constexpr Access O = Access::own;
constexpr Access AN = Access::any_new;
constexpr Access A = Access::any;

constexpr LifecycleRule write(EntityKind e, Field f, Access g, Access r, Access t, Access a, Access s,
                              StatusMask in_status = kAnyStatus) {
    return {ActionKind::write, e, f, TicketStatus::unknown, TicketStatus::unknown, CommentKind::unknown,
            {g, r, t, a, s}, in_status};
}
constexpr LifecycleRule transition(TicketStatus from, TicketStatus to, Access g, Access r, Access t, Access a,
                                   Access s) {
    return {ActionKind::transition, EntityKind::ticket, Field::ticket_status, from, to,
            CommentKind::unknown, {g, r, t, a, s}, status_bit(from)};
}
constexpr LifecycleRule post(CommentKind k, Access g, Access r, Access t, Access a, Access s,
                             StatusMask in_status) {
    return {ActionKind::post, EntityKind::comment, Field::unknown, TicketStatus::unknown, TicketStatus::unknown, k,
            {g, r, t, a, s}, in_status};
}

using E = EntityKind;
using F = Field;
using S = TicketStatus;
using C = CommentKind;

// Columns: guest, requester, technician, admin, system. Ticket-related rows apply only while the
// ticket is in `in_status` (a transition's is its `from`).
constexpr LifecycleRule kTable[] = {
    // --- ticket fields --------------------------------------------------------------  g   r   t   a   s
    write(E::ticket, F::ticket_number,               N,  N,  N,  N,  A,  kNotClosed),  // server numbering
    write(E::ticket, F::ticket_requester,            ON, ON, AN, A,  AN, kNotClosed),
    write(E::ticket, F::ticket_channel,              ON, ON, AN, AN, AN, kNotClosed),
    write(E::ticket, F::ticket_category,             ON, ON, A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_impact,               N,  ON, A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_urgency,              ON, ON, A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_priority,             N,  N,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_status,               ON, ON, AN, AN, AN, kNotClosed),  // initial "new";
                                                                                       // then transitions
    write(E::ticket, F::ticket_assignee,             N,  N,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_team,                 N,  N,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_site,                 N,  O,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_asset_tag,            N,  O,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_response_due,         N,  N,  N,  A,  A,  kNotClosed),  // SLA timers
    write(E::ticket, F::ticket_resolution_due,       N,  N,  N,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_title,                O,  O,  A,  A,  N,  kNotClosed),
    write(E::ticket, F::ticket_description,          O,  O,  A,  A,  N,  kNotClosed),
    write(E::ticket, F::ticket_resolution_note,      N,  N,  A,  A,  A,  kNotClosed),
    write(E::ticket, F::ticket_satisfaction_rating,  O,  O,  N,  N,  N,  kResolvedOrClosed),
    write(E::ticket, F::ticket_satisfaction_comment, O,  O,  N,  N,  N,  kResolvedOrClosed),
    // the ticket key sealed to the requester (once, with the ticket) and to the team's key (then,
    // or later when the team's first key appears; kept readable after closing)
    write(E::ticket, F::ticket_requester_key,        ON, ON, AN, AN, N,  kNotClosed),
    write(E::ticket, F::ticket_team_key,             O,  O,  A,  A,  N,  kAnyStatus),
    // how the requester wants to hear back (the detail — a phone number, an address — is sealed)
    write(E::ticket, F::ticket_contact,              O,  O,  A,  A,  N,  kNotClosed),
    write(E::ticket, F::ticket_contact_detail,       O,  O,  A,  A,  N,  kNotClosed),
    write(E::ticket, F::deleted,                     N,  N,  N,  A,  N,  kAnyStatus),
    // --- status transitions --------------------------------------------------------  g   r   t   a   s
    transition(S::new_, S::triaged,                  N,  N,  A,  A,  A),
    transition(S::new_, S::closed,                   O,  O,  A,  A,  N),  // withdrawn / junk
    transition(S::triaged, S::assigned,              N,  N,  A,  A,  A),
    transition(S::triaged, S::closed,                O,  O,  N,  A,  N),
    transition(S::assigned, S::triaged,              N,  N,  A,  A,  A),  // back to the queue
    transition(S::assigned, S::in_progress,          N,  N,  A,  A,  A),
    transition(S::assigned, S::closed,               O,  O,  N,  A,  N),
    transition(S::in_progress, S::waiting_on_requester, N, N, A, A,  N),
    transition(S::in_progress, S::resolved,          N,  N,  A,  A,  N),
    transition(S::in_progress, S::closed,            O,  O,  N,  A,  N),
    transition(S::waiting_on_requester, S::in_progress, O, O, A, A,  A),  // requester answered
    transition(S::waiting_on_requester, S::resolved, N,  N,  A,  A,  A),  // no answer in time
    transition(S::waiting_on_requester, S::closed,   O,  O,  N,  A,  N),
    transition(S::resolved, S::closed,               O,  O,  A,  A,  A),  // confirmed / auto-close
    transition(S::resolved, S::in_progress,          O,  O,  A,  A,  N),  // reopen
    // --- comments: posting one (all its fields, once); then insert-only ------------  g   r   t   a   s
    post(C::public_reply,                            O,  O,  A,  A,  N,  kNotClosed),
    post(C::internal_note,                           N,  N,  A,  A,  A,  kAnyStatus),
    post(C::request_for_information,                 N,  N,  A,  A,  N,  kOpenStatuses),
    post(C::system_event,                            N,  N,  N,  N,  A,  kAnyStatus),
    write(E::comment, F::deleted,                    N,  N,  N,  A,  N,  kAnyStatus),  // redaction
    // --- knowledge-base references ------------------------------------------------  g   r   t   a   s
    write(E::kb_ref, F::kb_ref_ticket,               ON, ON, AN, AN, AN, kAnyStatus),
    write(E::kb_ref, F::kb_ref_article,              ON, ON, AN, AN, AN, kAnyStatus),
    write(E::kb_ref, F::kb_ref_title,                ON, ON, AN, AN, AN, kAnyStatus),
    write(E::kb_ref, F::kb_ref_relation,             O,  O,  A,  A,  A,  kAnyStatus),  // "solved it"
    write(E::kb_ref, F::deleted,                     O,  O,  A,  A,  A,  kAnyStatus),
    // --- users (own = oneself) -----------------------------------------------------  g   r   t   a   s
    write(E::user, F::user_display_name,             O,  O,  O,  A,  A),
    write(E::user, F::user_role,                     N,  N,  N,  A,  A),
    write(E::user, F::user_skills,                   N,  N,  O,  A,  A),
    write(E::user, F::user_site,                     N,  O,  O,  A,  A),
    write(E::user, F::user_team,                     N,  N,  N,  A,  A),
    write(E::user, F::user_email,                    O,  O,  O,  A,  A),
    write(E::user, F::deleted,                       N,  N,  N,  A,  A),
    // --- devices (own = the device's owner) -----------------------------------------  g   r   t   a   s
    write(E::device, F::device_owner,                N,  N,  N,  AN, AN),
    write(E::device, F::device_label,                O,  O,  O,  A,  A),
    write(E::device, F::device_platform,             O,  O,  O,  A,  A),
    write(E::device, F::device_public_key,           N,  N,  N,  AN, AN),  // a new key = a new device
    write(E::device, F::device_revoked,              O,  O,  O,  A,  A),   // "I lost my phone"
    write(E::device, F::deleted,                     N,  N,  N,  A,  A),
};

const LifecycleRule* find_write(EntityKind entity, Field field) {
    for (const auto& rule : kTable) {
        if (rule.kind == ActionKind::write && rule.entity == entity && rule.field == field) return &rule;
    }
    return nullptr;
}

const LifecycleRule* find_transition(TicketStatus from, TicketStatus to) {
    for (const auto& rule : kTable) {
        if (rule.kind == ActionKind::transition && rule.from == from && rule.to == to) return &rule;
    }
    return nullptr;
}

const LifecycleRule* find_post(CommentKind kind) {
    for (const auto& rule : kTable) {
        if (rule.kind == ActionKind::post && rule.comment == kind) return &rule;
    }
    return nullptr;
}

bool permits(const LifecycleRule& rule, Role role, bool own, bool creating) {
    if (role == Role::unknown) return false;
    switch (rule.access[static_cast<std::size_t>(role)]) {
        case Access::no: return false;
        case Access::own_new: return own && creating;
        case Access::own: return own;
        case Access::any_new: return creating;
        case Access::any: return true;
    }
    return false;
}

bool allowed_in(const LifecycleRule& rule, TicketStatus status) {
    return status != TicketStatus::unknown && (rule.in_status & status_bit(status)) != 0;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] authorize_batch
// ---------------------------------------------------------------------------------------------

Error at(std::size_t i, CoreError code, const std::string& what) {
    return core_error(code, "ops[" + std::to_string(i) + "]: " + what);
}

// The state as the batch sees it: the replica plus the batch's own ops, by the merge rule.
class BatchView {
public:
    BatchView(const Replica& state, const Batch& batch) : state_(state), batch_(batch) {}

    bool in_state(EntityKind kind, const EntityId& id) const { return state_.exists(kind, id); }
    bool known(EntityKind kind, const EntityId& id) const {
        if (in_state(kind, id)) return true;
        return std::any_of(batch_.ops.begin(), batch_.ops.end(),
                           [&](const Op& op) { return op.entity == kind && op.entity_id == id; });
    }
    bool deleted_in_state(EntityKind kind, const EntityId& id) const { return state_.is_deleted(kind, id); }

    // The value after the whole batch: the greatest op among the state's winner and the batch's.
    const Value* value(EntityKind kind, const EntityId& id, Field field) const {
        const Op* best = state_.winner(kind, id, field);
        for (const Op& op : batch_.ops) {
            if (op.entity == kind && op.entity_id == id && op.field == field &&
                (!best || op_precedes(*best, op))) {
                best = &op;
            }
        }
        return best ? &best->value : nullptr;
    }
    bool set_in_batch(EntityKind kind, const EntityId& id, Field field) const {
        return std::any_of(batch_.ops.begin(), batch_.ops.end(), [&](const Op& op) {
            return op.entity == kind && op.entity_id == id && op.field == field;
        });
    }
    std::optional<EntityId> id_value(EntityKind kind, const EntityId& id, Field field) const {
        const Value* v = value(kind, id, field);
        const auto* found = v ? std::get_if<Id128>(v) : nullptr;
        return found ? std::optional<EntityId>(*found) : std::nullopt;
    }

    // Ticket status as the batch's ops so far left it (transitions are checked in sequence).
    TicketStatus status(const EntityId& ticket) const {
        for (const auto& [id, st] : statuses_) {
            if (id == ticket) return st;
        }
        if (const Op* op = state_.winner(EntityKind::ticket, ticket, Field::ticket_status)) {
            if (const auto* name = std::get_if<std::string>(&op->value)) return status_from_name(*name);
        }
        return known(EntityKind::ticket, ticket) ? TicketStatus::new_ : TicketStatus::unknown;
    }
    bool has_status(const EntityId& ticket) const {
        return std::any_of(statuses_.begin(), statuses_.end(), [&](const auto& p) { return p.first == ticket; }) ||
               state_.winner(EntityKind::ticket, ticket, Field::ticket_status) != nullptr;
    }
    void set_status(const EntityId& ticket, TicketStatus st) {
        for (auto& entry : statuses_) {
            if (entry.first == ticket) {
                entry.second = st;
                return;
            }
        }
        statuses_.emplace_back(ticket, st);
    }

private:
    const Replica& state_;
    const Batch& batch_;
    std::vector<std::pair<EntityId, TicketStatus>> statuses_;
};

struct Checker {
    const Actor& actor;
    BatchView& view;

    bool owns_ticket(const EntityId& ticket) const {
        return view.id_value(EntityKind::ticket, ticket, Field::ticket_requester) == actor.user;
    }

    Status check_write(std::size_t i, const Op& op, bool own, TicketStatus ticket_status, bool ticket_related) {
        const LifecycleRule* rule = find_write(op.entity, op.field);
        const bool creating = !view.in_state(op.entity, op.entity_id);
        if (!rule || !permits(*rule, actor.role, own, creating)) {
            return at(i, CoreError::forbidden, std::string(to_name(actor.role)) + " may not write " +
                                                   std::string(entity_name(op)) + "." +
                                                   std::string(field_name(op)));
        }
        if (ticket_related && !allowed_in(*rule, ticket_status)) {
            return at(i, ticket_status == TicketStatus::closed ? CoreError::ticket_closed : CoreError::forbidden,
                      std::string(field_name(op)) + " can not change while the ticket is " +
                          std::string(to_name(ticket_status)));
        }
        return Ok{};
    }

    Status check_ticket(std::size_t i, const Op& op) {
        const EntityId& id = op.entity_id;
        const bool own = owns_ticket(id);
        if (op.field == Field::ticket_status) {
            const TicketStatus to = status_from_name(std::get<std::string>(op.value));
            if (!view.has_status(id)) {  // the ticket is being created: it starts as "new"
                if (view.in_state(EntityKind::ticket, id) || to != TicketStatus::new_) {
                    return at(i, CoreError::bad_transition, "a ticket starts as new");
                }
                if (auto st = check_write(i, op, own, TicketStatus::new_, true); !st) return st;
                view.set_status(id, to);
                return Ok{};
            }
            const TicketStatus from = view.status(id);
            const LifecycleRule* rule = find_transition(from, to);
            if (!rule) {
                return at(i, CoreError::bad_transition, "no transition " + std::string(to_name(from)) +
                                                            " -> " + std::string(to_name(to)));
            }
            if (!permits(*rule, actor.role, own, false)) {
                return at(i, CoreError::forbidden, std::string(to_name(actor.role)) + " may not move " +
                                                       std::string(to_name(from)) + " -> " +
                                                       std::string(to_name(to)));
            }
            view.set_status(id, to);
            return Ok{};
        }
        return check_write(i, op, own, view.status(id), true);
    }

    // The parent ticket of a comment or KB reference: must exist and not be deleted.
    Result<EntityId> parent(std::size_t i, const Op& op, Field ticket_field) const {
        const auto ticket = view.id_value(op.entity, op.entity_id, ticket_field);
        if (!ticket) return at(i, CoreError::missing_required, "no ticket given");
        if (!view.known(EntityKind::ticket, *ticket)) return at(i, CoreError::not_found, "no such ticket");
        if (view.deleted_in_state(EntityKind::ticket, *ticket)) {
            return at(i, CoreError::entity_deleted, "the ticket is deleted");
        }
        return *ticket;
    }

    Status check_comment(std::size_t i, const Op& op) {
        auto ticket = parent(i, op, Field::comment_ticket);
        if (!ticket) return ticket.error();
        const bool own = owns_ticket(ticket.value());
        const TicketStatus ticket_status = view.status(ticket.value());
        if (op.field == Field::deleted) return check_write(i, op, own, ticket_status, true);
        if (view.in_state(EntityKind::comment, op.entity_id)) {
            return at(i, CoreError::insert_only, "comments are never edited");
        }
        const Value* kind_value = view.value(EntityKind::comment, op.entity_id, Field::comment_kind);
        const auto* kind_name = kind_value ? std::get_if<std::string>(kind_value) : nullptr;
        if (!kind_name) return at(i, CoreError::missing_required, "a comment needs a kind");
        const LifecycleRule* rule = find_post(comment_kind_from_name(*kind_name));
        if (!rule || !permits(*rule, actor.role, own, true)) {
            return at(i, CoreError::forbidden,
                      std::string(to_name(actor.role)) + " may not post " + *kind_name);
        }
        if (!allowed_in(*rule, ticket_status)) {
            return at(i, ticket_status == TicketStatus::closed ? CoreError::ticket_closed : CoreError::forbidden,
                      *kind_name + " not allowed while the ticket is " + std::string(to_name(ticket_status)));
        }
        const auto author = view.id_value(EntityKind::comment, op.entity_id, Field::comment_author);
        if (actor.role != Role::system && author != actor.user) {
            return at(i, CoreError::forbidden, "a comment's author is the one who posts it");
        }
        return Ok{};
    }

    Status check_kb_ref(std::size_t i, const Op& op) {
        auto ticket = parent(i, op, Field::kb_ref_ticket);
        if (!ticket) return ticket.error();
        return check_write(i, op, owns_ticket(ticket.value()), view.status(ticket.value()), true);
    }

    Status check_op(std::size_t i, const Op& op) {
        if (op.entity == EntityKind::unknown || op.field == Field::unknown) {
            return at(i, CoreError::unsupported_field,
                      std::string(entity_name(op)) + "." + std::string(field_name(op)) + " is not known here");
        }
        const FieldSpec& spec = field_spec(op.field);
        if (const auto* word = std::get_if<std::string>(&op.value);
            word && spec.type == ValueType::token && !vocabulary_contains(spec.vocabulary, *word)) {
            return at(i, CoreError::unsupported_field, std::string(spec.name) + ": unknown value");
        }
        if (view.deleted_in_state(op.entity, op.entity_id) && op.field != Field::deleted) {
            return at(i, CoreError::entity_deleted, std::string(entity_name(op)) + " is deleted");
        }
        switch (op.entity) {
            case EntityKind::ticket: return check_ticket(i, op);
            case EntityKind::comment: return check_comment(i, op);
            case EntityKind::kb_ref: return check_kb_ref(i, op);
            case EntityKind::user: return check_write(i, op, op.entity_id == actor.user, TicketStatus::unknown, false);
            case EntityKind::device:
                return check_write(i, op,
                                   view.id_value(EntityKind::device, op.entity_id, Field::device_owner) == actor.user,
                                   TicketStatus::unknown, false);
            case EntityKind::unknown: break;
        }
        return at(i, CoreError::unsupported_field, "unknown entity");
    }
};

// Fields an entity must get in the batch that creates it.
std::span<const Field> required_fields(EntityKind kind) {
    static constexpr Field kTicket[] = {Field::ticket_status, Field::ticket_requester, Field::ticket_title};
    static constexpr Field kComment[] = {Field::comment_ticket, Field::comment_kind, Field::comment_author,
                                         Field::comment_body};
    static constexpr Field kKbRef[] = {Field::kb_ref_ticket, Field::kb_ref_article, Field::kb_ref_relation};
    static constexpr Field kUser[] = {Field::user_display_name, Field::user_role};
    static constexpr Field kDevice[] = {Field::device_owner, Field::device_public_key};
    switch (kind) {
        case EntityKind::ticket: return kTicket;
        case EntityKind::comment: return kComment;
        case EntityKind::kb_ref: return kKbRef;
        case EntityKind::user: return kUser;
        case EntityKind::device: return kDevice;
        case EntityKind::unknown: break;
    }
    return {};
}

}  // namespace

std::span<const LifecycleRule> lifecycle_table() { return kTable; }

Status authorize_batch(const Actor& actor, const Replica& state, const Batch& batch) {
    if (actor.role == Role::unknown || actor.user.is_zero()) {
        return core_error(CoreError::forbidden, "no signed-in actor");
    }
    if (auto st = validate_batch(batch); !st) return st;
    BatchView view(state, batch);
    Checker checker{actor, view};
    for (std::size_t i = 0; i < batch.ops.size(); ++i) {
        if (auto st = checker.check_op(i, batch.ops[i]); !st) return st;
    }
    for (std::size_t i = 0; i < batch.ops.size(); ++i) {
        const Op& op = batch.ops[i];
        if (view.in_state(op.entity, op.entity_id)) continue;
        for (const Field field : required_fields(op.entity)) {
            if (!view.set_in_batch(op.entity, op.entity_id, field)) {
                return at(i, CoreError::missing_required, "a new " + std::string(entity_name(op)) +
                                                              " needs " + std::string(field_spec(field).name));
            }
        }
    }
    return Ok{};
}

bool may_transition(Role role, TicketStatus from, TicketStatus to, bool own) {
    const LifecycleRule* rule = find_transition(from, to);
    return rule && permits(*rule, role, own, false);
}

std::vector<TicketStatus> allowed_transitions(Role role, TicketStatus from, bool own) {
    std::vector<TicketStatus> out;
    for (const auto& rule : kTable) {
        if (rule.kind == ActionKind::transition && rule.from == from && permits(rule, role, own, false)) {
            out.push_back(rule.to);
        }
    }
    return out;
}

bool can_see_comment(Role role, CommentKind kind) {
    if (kind != CommentKind::internal_note) return true;
    return role == Role::technician || role == Role::admin || role == Role::system;
}

}  // namespace lb
