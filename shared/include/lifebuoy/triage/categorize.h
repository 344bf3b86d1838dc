// triage/categorize.h — suggests a ticket's category from its title and description, on the device
// (where the plaintext is), with keyword and phrase rules that explain themselves.
//
// A catalogue lists categories, each with weighted terms: a word ("vpn") or a phrase ("reset
// password"). Terms and text are normalised the same way (terms.h: lower-case, stems). A category's
// score is the sum of the weights of its distinct terms found in the text, ×kTitleFactor when found
// in the title. The best category is suggested with
//     confidence = best / (best + runner-up + kConfidencePrior)   (0 when below min_score)
// and the list of matched terms, so the UI can say "Network & VPN — matched: vpn, disconnect".
// Below `min_score` the suggestion is the catalogue's fallback ("other"). The requester confirms.
// Not here: machine-learned models, the KB search (client/engine/kb_*).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lifebuoy/result.h"

namespace lb::triage {

inline constexpr double kTitleFactor = 1.5;
inline constexpr double kConfidencePrior = 1.0;
inline constexpr double kMaxTermWeight = 10.0;
inline constexpr std::size_t kMaxCategories = 64;
inline constexpr std::size_t kMaxTermsPerCategory = 256;
inline constexpr std::size_t kMaxWordsPerPhrase = 4;

struct CategoryTerm {
    std::string text;      // as written in the catalogue: "vpn", "reset password"
    double weight = 1.0;   // (0, kMaxTermWeight]
};

struct Category {
    std::string id;        // a token stored in the ticket's category: "network_vpn"
    std::string label;     // for people: "Network & VPN"
    std::vector<CategoryTerm> terms;
};

struct CategoryCatalogue {
    std::vector<Category> categories;
    std::string fallback = "other";  // one of the ids (may have no terms)
    double min_score = 1.5;          // below this, the fallback is suggested
};

// access, account_password, hardware, network_vpn, email, printing, software, storage,
// business_apps, purchase, hr, other (the fallback).
CategoryCatalogue default_category_catalogue();

// ids are tokens (schema.h is_token) and unique; weights in (0, kMaxTermWeight]; terms non-empty,
// at most kMaxWordsPerPhrase words; counts within the limits; the fallback is one of the ids.
// Codes: bad_value, duplicate_entry, missing_entry, too_long.
Status validate_catalogue(const CategoryCatalogue& catalogue);

struct MatchedTerm {
    std::string term;      // as written in the catalogue
    double weight = 0;     // what it added (title factor included)
    bool in_title = false;
};

struct CategorySuggestion {
    std::string category;  // an id of the catalogue (the fallback when nothing scored enough)
    std::string label;
    double score = 0;
    double confidence = 0;              // [0, 1)
    std::vector<MatchedTerm> matched;   // the winning category's terms, heaviest first
    std::string runner_up;              // "" when no other category scored
    double runner_up_score = 0;
};

class CategoryMatcher {
public:
    // Validates and compiles the catalogue.
    static Result<CategoryMatcher> create(const CategoryCatalogue& catalogue);

    CategorySuggestion suggest(std::string_view title, std::string_view body) const;
    const CategoryCatalogue& catalogue() const { return catalogue_; }

private:
    struct Compiled {
        std::uint32_t category;
        std::uint32_t term;                // index in the category's terms
        std::vector<std::string> stems;    // the term's stems; stems[0] is the lookup key
        double weight;
    };
    CategoryMatcher() = default;
    void scan(const std::vector<std::string>& terms, double factor, std::vector<double>& best) const;

    CategoryCatalogue catalogue_;
    std::vector<Compiled> compiled_;
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_first_stem_;  // → compiled_
    std::uint32_t fallback_ = 0;
};

}  // namespace lb::triage
