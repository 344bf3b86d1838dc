// triage/categorize.cpp — compiling a catalogue into a stem index, and scoring a ticket's text.
#include "lifebuoy/triage/categorize.h"

#include <algorithm>

#include "lifebuoy/schema.h"
#include "lifebuoy/triage/errors.h"
#include "lifebuoy/triage/terms.h"

namespace lb::triage {
namespace {

Status fail(TriageError code, std::string message) { return triage_error(code, std::move(message)); }

}  // namespace

Status validate_catalogue(const CategoryCatalogue& catalogue) {
    if (catalogue.categories.empty() || catalogue.categories.size() > kMaxCategories) {
        return fail(TriageError::bad_value, "categories: 1.." + std::to_string(kMaxCategories) + " needed");
    }
    bool has_fallback = false;
    for (std::size_t i = 0; i < catalogue.categories.size(); ++i) {
        const Category& c = catalogue.categories[i];
        const std::string where = "categories[" + std::to_string(i) + "]";
        if (!is_token(c.id)) return fail(TriageError::bad_value, where + ".id: not a token");
        for (std::size_t j = 0; j < i; ++j) {
            if (catalogue.categories[j].id == c.id) {
                return fail(TriageError::duplicate_entry, where + ".id: '" + c.id + "' twice");
            }
        }
        if (c.label.size() > kMaxNameBytes) return fail(TriageError::too_long, where + ".label: too long");
        if (c.terms.size() > kMaxTermsPerCategory) return fail(TriageError::too_long, where + ".terms: too many");
        for (std::size_t t = 0; t < c.terms.size(); ++t) {
            const CategoryTerm& term = c.terms[t];
            const std::string at = where + ".terms[" + std::to_string(t) + "]";
            if (!(term.weight > 0.0 && term.weight <= kMaxTermWeight)) {
                return fail(TriageError::bad_value, at + ": weight must be in (0, 10]");
            }
            const auto stems = text_terms(term.text);
            if (stems.empty()) return fail(TriageError::bad_value, at + ": no words");
            if (stems.size() > kMaxWordsPerPhrase) return fail(TriageError::too_long, at + ": too many words");
            for (std::size_t u = 0; u < t; ++u) {  // "printer" and "printing" would count twice
                if (text_terms(c.terms[u].text) == stems) {
                    return fail(TriageError::duplicate_entry, at + ": same stems as terms[" + std::to_string(u) + "]");
                }
            }
        }
        has_fallback = has_fallback || c.id == catalogue.fallback;
    }
    if (!has_fallback) return fail(TriageError::missing_entry, "fallback: not one of the categories");
    if (!(catalogue.min_score >= 0.0)) return fail(TriageError::bad_value, "min_score: must be >= 0");
    return Ok{};
}

Result<CategoryMatcher> CategoryMatcher::create(const CategoryCatalogue& catalogue) {
    if (auto ok = validate_catalogue(catalogue); !ok) return ok.error();
    CategoryMatcher m;
    m.catalogue_ = catalogue;
    for (std::uint32_t c = 0; c < catalogue.categories.size(); ++c) {
        const Category& category = catalogue.categories[c];
        if (category.id == catalogue.fallback) m.fallback_ = c;
        for (std::uint32_t t = 0; t < category.terms.size(); ++t) {
            Compiled compiled{c, t, text_terms(category.terms[t].text), category.terms[t].weight};
            m.by_first_stem_[compiled.stems.front()].push_back(static_cast<std::uint32_t>(m.compiled_.size()));
            m.compiled_.push_back(std::move(compiled));
        }
    }
    return m;
}

// best[i]: the factor with which compiled term i was found so far (0: not found).
void CategoryMatcher::scan(const std::vector<std::string>& terms, double factor, std::vector<double>& best) const {
    for (std::size_t i = 0; i < terms.size(); ++i) {
        const auto it = by_first_stem_.find(terms[i]);
        if (it == by_first_stem_.end()) continue;
        for (const std::uint32_t id : it->second) {
            const Compiled& c = compiled_[id];
            if (best[id] >= factor || i + c.stems.size() > terms.size()) continue;
            if (std::equal(c.stems.begin() + 1, c.stems.end(), terms.begin() + static_cast<std::ptrdiff_t>(i) + 1)) {
                best[id] = factor;
            }
        }
    }
}

CategorySuggestion CategoryMatcher::suggest(std::string_view title, std::string_view body) const {
    std::vector<double> found(compiled_.size(), 0.0);
    scan(text_terms(title), kTitleFactor, found);
    scan(text_terms(body), 1.0, found);

    std::vector<double> scores(catalogue_.categories.size(), 0.0);
    for (std::size_t id = 0; id < compiled_.size(); ++id) {
        if (found[id] > 0) scores[compiled_[id].category] += compiled_[id].weight * found[id];
    }
    std::uint32_t first = fallback_;
    std::uint32_t second = fallback_;
    double s1 = 0;
    double s2 = 0;
    for (std::uint32_t c = 0; c < scores.size(); ++c) {  // ties: catalogue order
        if (scores[c] > s1) {
            second = first;
            s2 = s1;
            first = c;
            s1 = scores[c];
        } else if (scores[c] > s2) {
            second = c;
            s2 = scores[c];
        }
    }

    CategorySuggestion s;
    const bool enough = s1 >= catalogue_.min_score && s1 > 0;
    const std::uint32_t chosen = enough ? first : fallback_;
    s.category = catalogue_.categories[chosen].id;
    s.label = catalogue_.categories[chosen].label;
    s.score = scores[chosen];
    s.confidence = enough ? s1 / (s1 + s2 + kConfidencePrior) : 0.0;
    const std::uint32_t explained = s1 > 0 ? first : fallback_;
    for (std::size_t id = 0; id < compiled_.size(); ++id) {
        const Compiled& c = compiled_[id];
        if (found[id] > 0 && c.category == explained) {
            s.matched.push_back({catalogue_.categories[c.category].terms[c.term].text, c.weight * found[id],
                                 found[id] > 1.0});
        }
    }
    std::stable_sort(s.matched.begin(), s.matched.end(),
                     [](const MatchedTerm& a, const MatchedTerm& b) { return a.weight > b.weight; });
    if (s2 > 0) {
        s.runner_up = catalogue_.categories[second].id;
        s.runner_up_score = s2;
    }
    if (!enough && s1 > 0) {  // below min_score: the best guess becomes the "runner-up" shown
        s.runner_up = catalogue_.categories[first].id;
        s.runner_up_score = s1;
    }
    return s;
}

}  // namespace lb::triage
