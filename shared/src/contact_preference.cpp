// contact_preference.cpp — checking the number or address that goes with a contact preference.
#include "lifebuoy/contact_preference.h"

#include <cctype>

namespace lb {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

Error bad_contact(std::string message) { return make_error("bad_contact", std::move(message)); }

bool looks_like_phone_number(std::string_view s) {
    std::size_t digits = 0;
    for (const char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
        else if (c != ' ' && c != '+' && c != '(' && c != ')' && c != '-' && c != '.' && c != '/') return false;
    }
    return digits >= 6 && digits <= 20;
}

bool looks_like_email(std::string_view s) {
    const auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
    const std::string_view domain = s.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) return false;
    for (const char c : s)
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

Result<std::string> check_contact_detail(ContactPreference preference, std::string_view detail) {
    const std::string_view d = trim(detail);
    if (d.size() > kMaxContactDetailChars)
        return bad_contact("the contact detail is over " + std::to_string(kMaxContactDetailChars) + " characters");
    switch (preference) {
        case ContactPreference::portal:
            if (!d.empty()) return bad_contact("replies in the portal need no number or address");
            return std::string();
        case ContactPreference::email:
            if (!d.empty() && !looks_like_email(d)) return bad_contact("'" + std::string(d) + "' is not an e-mail address");
            return std::string(d);
        case ContactPreference::phone:
            if (d.empty()) return bad_contact("Add the phone number to call");
            if (!looks_like_phone_number(d))
                return bad_contact("'" + std::string(d) + "' is not a phone number (6 to 20 digits)");
            return std::string(d);
        case ContactPreference::unknown: break;
    }
    return bad_contact("contact must be portal, email or phone");
}

}  // namespace lb
