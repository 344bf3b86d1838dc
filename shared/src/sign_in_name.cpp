// sign_in_name.cpp — normalising sign-in names (sign_in_name.h).
#include "lifebuoy/sign_in_name.h"

namespace lb {

Result<std::string> normalize_sign_in_name(std::string_view name) {
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (name.size() < kMinSignInNameChars || name.size() > kMaxSignInNameChars)
        return make_error("bad_sign_in_name", "a sign-in name has 3 to 64 characters");
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        const bool letter_or_digit = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        const bool mark = lower == '.' || lower == '_' || lower == '@' || lower == '+' || lower == '-';
        if (!letter_or_digit && !mark)
            return make_error("bad_sign_in_name",
                              "a sign-in name uses letters, digits and . _ @ + - only (no spaces)");
        if (out.empty() && !letter_or_digit)
            return make_error("bad_sign_in_name", "a sign-in name starts with a letter or a digit");
        out.push_back(lower);
    }
    return out;
}

}  // namespace lb
