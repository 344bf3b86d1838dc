// triage/terms.cpp — tokenising and stemming for the categoriser.
#include "lifebuoy/triage/terms.h"

namespace lb::triage {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

std::string stem(std::string_view word) {
    std::string w(word.substr(0, kMaxTermBytes));
    // Plurals.
    if (ends_with(w, "ies") && w.size() > 4) {
        w.replace(w.size() - 3, 3, "y");
    } else if (ends_with(w, "sses")) {
        w.resize(w.size() - 2);
    } else if (w.size() > 3 && w.back() == 's' && !ends_with(w, "ss") && !ends_with(w, "us") &&
               !ends_with(w, "is")) {
        w.pop_back();
    }
    // Verb and agent endings, keeping a stem of at least 3 (ing/ed) or 4 (er) letters.
    bool stripped = false;
    if (ends_with(w, "ing") && w.size() >= 6) {
        w.resize(w.size() - 3);
        stripped = true;
    } else if (ends_with(w, "ed") && w.size() >= 5) {
        w.resize(w.size() - 2);
        stripped = true;
    } else if (ends_with(w, "er") && w.size() >= 6) {
        w.resize(w.size() - 2);
        stripped = true;
    }
    // mapped → map, planned → plan (not for l, s, z: "installed" → "install").
    if (stripped && w.size() >= 3 && w[w.size() - 1] == w[w.size() - 2] && !is_vowel(w.back()) &&
        w.back() != 'l' && w.back() != 's' && w.back() != 'z') {
        w.pop_back();
    }
    // A final silent e: "leave" / "leaving" / "leaver" → "leav", "expire" / "expired" → "expir".
    if (w.size() >= 4 && w.back() == 'e') w.pop_back();
    return w;
}

std::vector<std::string> text_terms(std::string_view text) {
    std::vector<std::string> terms;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) terms.push_back(stem(word));
        word.clear();
    };
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (!is_word_byte(c)) {
            flush();
            continue;
        }
        if (word.size() < kMaxTermBytes) {
            word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
        }
    }
    flush();
    return terms;
}

}  // namespace lb::triage
