// kb_text.cpp — stop words, synonym groups and edit distance for knowledge search.
#include "engine/kb_text.h"

#include <algorithm>
#include <iterator>

namespace lb::engine {

namespace {

// Common English function words, plus the filler people put in help requests ("please", "hi").
constexpr std::string_view kStopWords[] = {
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "cannot",
    "could", "did", "do", "does", "doing", "don", "during", "each", "else", "for", "from",
    "further", "get", "gets", "got", "had", "has", "have", "having", "he", "hello", "her", "here",
    "hers", "hi", "him", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "please", "same", "she",
    "should", "so", "some", "such", "t", "than", "thank", "thanks", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "ll", "s",
    "ve", "re", "d", "m"};

KbSynonymGroup group(std::initializer_list<std::string_view> phrases) {
    KbSynonymGroup g;
    for (std::string_view p : phrases) {
        KbPhrase words;
        std::size_t start = 0;
        while (start <= p.size()) {
            std::size_t space = p.find(' ', start);
            if (space == std::string_view::npos) space = p.size();
            if (space > start) words.emplace_back(p.substr(start, space - start));
            start = space + 1;
        }
        g.push_back(std::move(words));
    }
    return g;
}

}  // namespace

bool kb_is_stop_word(std::string_view lower_word) {
    return std::find(std::begin(kStopWords), std::end(kStopWords), lower_word) != std::end(kStopWords);
}

std::span<const std::string_view> kb_stop_words() { return kStopWords; }

const std::vector<KbSynonymGroup>& kb_synonym_groups() {
    static const std::vector<KbSynonymGroup> groups = {
        group({"wifi", "wi fi", "wireless", "wlan"}),
        group({"password", "pw", "pwd", "passwd", "passcode"}),
        group({"mfa", "2fa", "two factor", "multi factor", "multifactor", "authenticator",
               "two step", "2 step"}),
        group({"vpn", "remote access"}),
        group({"email", "e mail", "mail"}),
        group({"laptop", "notebook"}),
        group({"dock", "docking station", "docking"}),
        group({"monitor", "external screen", "external display"}),
        group({"printer", "print"}),
        group({"phishing", "phish", "scam", "suspicious email"}),
        group({"sign in", "signin", "log in", "login", "logon", "log on"}),
        group({"locked out", "lockout", "account locked"}),
        group({"new starter", "new hire", "new joiner", "new employee", "onboarding"}),
        group({"software", "app", "application", "program"}),
        group({"disconnect", "disconnects", "disconnecting", "drops", "dropping"}),
        group({"headset", "headphones"}),
        group({"webcam", "camera"}),
        group({"phone", "mobile", "smartphone"}),
        group({"slow", "sluggish", "laggy"}),
    };
    return groups;
}

const KbSynonymGroup* kb_find_synonyms(const std::vector<std::string>& words, std::size_t at,
                                       std::size_t& matched) {
    const KbSynonymGroup* best = nullptr;
    matched = 0;
    for (const KbSynonymGroup& g : kb_synonym_groups()) {
        for (const KbPhrase& p : g) {
            if (p.size() <= matched || at + p.size() > words.size()) continue;
            if (std::equal(p.begin(), p.end(), words.begin() + static_cast<std::ptrdiff_t>(at))) {
                best = &g;
                matched = p.size();
            }
        }
    }
    return best;
}

int kb_edit_distance(std::string_view a, std::string_view b, int max) {
    int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
    if (la - lb > max || lb - la > max) return max + 1;
    // three rolling rows of the optimal-string-alignment table
    std::vector<int> prev2(static_cast<std::size_t>(lb) + 1), prev(prev2.size()), cur(prev2.size());
    for (int j = 0; j <= lb; ++j) prev[static_cast<std::size_t>(j)] = j;
    for (int i = 1; i <= la; ++i) {
        cur[0] = i;
        int row_min = i;
        for (int j = 1; j <= lb; ++j) {
            auto ju = static_cast<std::size_t>(j);
            int cost = a[static_cast<std::size_t>(i - 1)] == b[ju - 1] ? 0 : 1;
            int v = std::min({prev[ju] + 1, cur[ju - 1] + 1, prev[ju - 1] + cost});
            if (i > 1 && j > 1 && a[static_cast<std::size_t>(i - 1)] == b[ju - 2] &&
                a[static_cast<std::size_t>(i - 2)] == b[ju - 1])
                v = std::min(v, prev2[ju - 2] + 1);
            cur[ju] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > max) return max + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[static_cast<std::size_t>(lb)], max + 1);
}

std::string kb_ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace lb::engine
