// domain.cpp — wire names of the help-desk vocabulary and the priority matrix.
// Not here: permissions (lifecycle.cpp).
#include "lifebuoy/domain.h"

#include <array>
#include <span>

namespace lb {
namespace {

constexpr std::array<std::string_view, 5> kRoles{"guest", "requester", "technician", "admin", "system"};
constexpr std::array<std::string_view, 7> kStatuses{
    "new", "triaged", "assigned", "in_progress", "waiting_on_requester", "resolved", "closed"};
constexpr std::array<std::string_view, 7> kChannels{
    "web", "email", "phone", "walk_in", "chat", "public_page", "monitoring"};
constexpr std::array<std::string_view, 3> kLevels{"high", "medium", "low"};
constexpr std::array<std::string_view, 5> kPriorities{"critical", "high", "medium", "low", "planning"};
constexpr std::array<std::string_view, 4> kCommentKinds{
    "public_reply", "internal_note", "request_for_information", "system_event"};
constexpr std::array<std::string_view, 3> kKbRelations{"suggested", "linked", "solved"};
constexpr std::array<std::string_view, 3> kContactPreferences{"portal", "email", "phone"};

template <typename E>
std::string_view name_of(std::span<const std::string_view> names, E value) {
    const auto i = static_cast<std::size_t>(value);
    return i < names.size() ? names[i] : std::string_view{};
}

template <typename E>
E value_of(std::span<const std::string_view> names, std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) return static_cast<E>(i);
    }
    return E::unknown;
}

bool contains(std::span<const std::string_view> names, std::string_view name) {
    for (const auto n : names) {
        if (n == name) return true;
    }
    return false;
}

}  // namespace

std::string_view to_name(Role v) { return name_of(kRoles, v); }
std::string_view to_name(TicketStatus v) { return name_of(kStatuses, v); }
std::string_view to_name(Channel v) { return name_of(kChannels, v); }
std::string_view to_name(Impact v) { return name_of(kLevels, v); }
std::string_view to_name(Urgency v) { return name_of(kLevels, v); }
std::string_view to_name(Priority v) { return name_of(kPriorities, v); }
std::string_view to_name(CommentKind v) { return name_of(kCommentKinds, v); }
std::string_view to_name(KbRelation v) { return name_of(kKbRelations, v); }
std::string_view to_name(ContactPreference v) { return name_of(kContactPreferences, v); }

Role role_from_name(std::string_view n) { return value_of<Role>(kRoles, n); }
TicketStatus status_from_name(std::string_view n) { return value_of<TicketStatus>(kStatuses, n); }
Channel channel_from_name(std::string_view n) { return value_of<Channel>(kChannels, n); }
Impact impact_from_name(std::string_view n) { return value_of<Impact>(kLevels, n); }
Urgency urgency_from_name(std::string_view n) { return value_of<Urgency>(kLevels, n); }
Priority priority_from_name(std::string_view n) { return value_of<Priority>(kPriorities, n); }
CommentKind comment_kind_from_name(std::string_view n) { return value_of<CommentKind>(kCommentKinds, n); }
KbRelation kb_relation_from_name(std::string_view n) { return value_of<KbRelation>(kKbRelations, n); }
ContactPreference contact_preference_from_name(std::string_view n) {
    return value_of<ContactPreference>(kContactPreferences, n);
}

bool vocabulary_contains(Vocabulary vocabulary, std::string_view name) {
    switch (vocabulary) {
        case Vocabulary::none: return true;
        case Vocabulary::channel: return contains(kChannels, name);
        case Vocabulary::impact:
        case Vocabulary::urgency: return contains(kLevels, name);
        case Vocabulary::priority: return contains(kPriorities, name);
        case Vocabulary::status: return contains(kStatuses, name);
        case Vocabulary::role: return contains(kRoles, name);
        case Vocabulary::comment_kind: return contains(kCommentKinds, name);
        case Vocabulary::kb_relation: return contains(kKbRelations, name);
        case Vocabulary::contact: return contains(kContactPreferences, name);
    }
    return false;
}

Priority default_priority(Impact impact, Urgency urgency) {
    if (impact == Impact::unknown || urgency == Urgency::unknown) return Priority::unknown;
    // rows: impact high, medium, low; columns: urgency high, medium, low
    constexpr Priority kMatrix[3][3] = {
        {Priority::critical, Priority::high, Priority::medium},
        {Priority::high, Priority::medium, Priority::low},
        {Priority::medium, Priority::low, Priority::planning},
    };
    return kMatrix[static_cast<std::size_t>(impact)][static_cast<std::size_t>(urgency)];
}

bool is_open(TicketStatus status) {
    return status != TicketStatus::resolved && status != TicketStatus::closed && status != TicketStatus::unknown;
}

}  // namespace lb
