// triage_categorize_test.cpp — the categoriser: stems, examples per category with the matched terms
// that explain them, title weight, confidence, the fallback, and catalogue validation.
#include <doctest/doctest.h>

#include <string>

#include "lifebuoy/triage/categorize.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/triage/terms.h"

using namespace lb;
using namespace lb::triage;

namespace {

const CategoryMatcher& matcher() {
    static const CategoryMatcher m = CategoryMatcher::create(default_category_catalogue()).value();
    return m;
}

bool matched(const CategorySuggestion& s, const std::string& term) {
    for (const MatchedTerm& m : s.matched) {
        if (m.term == term) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("triage categorize: normalised terms and stems") {
    CHECK(text_terms("Printers, PRINTING & printer!") == std::vector<std::string>{"print", "print", "print"});
    CHECK(stem("passwords") == "password");
    CHECK(stem("expired") == stem("expire"));
    CHECK(stem("leaver") == stem("leaving"));
    CHECK(stem("installed") == "install");
    CHECK(stem("mapped") == "map");
    CHECK(stem("access") == "access");
    CHECK(stem("batteries") == "battery");
    CHECK(text_terms("wi-fi keeps dropping") == std::vector<std::string>{"wi", "fi", "keep", "drop"});
    CHECK(text_terms("").empty());
}

TEST_CASE("triage categorize: examples, with the terms that explain them") {
    struct Example {
        const char* title;
        const char* body;
        const char* category;
        const char* term;
    };
    const Example examples[] = {
        {"VPN keeps disconnecting", "since this morning the vpn drops every 10 minutes at home", "network_vpn", "vpn"},
        {"Password expired", "my password expired and I am locked out of my account", "account_password",
         "password"},
        {"Printer on 3rd floor", "out of toner again, and paper jam in tray 2", "printing", "toner"},
        {"Need access to the Confluence space", "please grant access to the finance repository", "access",
         "grant access"},
        {"Laptop charger broken", "the charger of my laptop stopped working", "hardware", "charger"},
        {"Shared mailbox", "please add me to the support shared mailbox in Outlook", "email", "shared mailbox"},
        {"Install Visual Studio", "I need a licence and admin rights to install it", "software", "visual studio"},
        {"Purchase order for monitors", "please raise a PO; the quote from the supplier is attached", "purchase",
         "purchase order"},
        {"New starter on Monday", "onboarding for a new joiner in the design team", "hr", "new starter"},
        {"Disk space", "the shared drive is full, please increase the quota", "storage", "shared drive"},
        {"Project code missing", "cannot book my timesheet, the project code is not in oracle", "business_apps",
         "project code"},
    };
    for (const Example& e : examples) {
        CAPTURE(e.title);
        const auto s = matcher().suggest(e.title, e.body);
        CHECK(s.category == e.category);
        CHECK(matched(s, e.term));
        CHECK(s.confidence > 0.5);
        CHECK(s.confidence < 1.0);
        CHECK_FALSE(s.label.empty());
    }
}

TEST_CASE("triage categorize: title weight, confidence and the fallback") {
    // Same words, one in the title: the title term weighs more and is flagged.
    const auto s = matcher().suggest("vpn", "my outlook");
    CHECK(s.category == "network_vpn");
    REQUIRE(!s.matched.empty());
    CHECK(s.matched[0].in_title);
    CHECK(s.matched[0].weight == doctest::Approx(4 * kTitleFactor));
    CHECK(s.runner_up == "email");
    CHECK(s.confidence == doctest::Approx(6.0 / (6.0 + 3.5 + kConfidencePrior)));
    // A term counts once however often it appears.
    CHECK(matcher().suggest("", "vpn vpn vpn vpn").score == doctest::Approx(4.0));
    // Nothing recognisable, or only weak hints: "other", with zero confidence but the hint shown.
    const auto nothing = matcher().suggest("hello", "thanks a lot");
    CHECK(nothing.category == "other");
    CHECK(nothing.confidence == 0.0);
    CHECK(nothing.matched.empty());
    const auto weak = matcher().suggest("", "slow");
    CHECK(weak.category == "other");
    CHECK(weak.runner_up == "network_vpn");
    CHECK(matched(weak, "slow"));
}

TEST_CASE("triage categorize: catalogue validation and a catalogue from JSON") {
    CHECK(validate_catalogue(default_category_catalogue()).ok());
    auto c = default_category_catalogue();
    c.categories.push_back(c.categories.front());
    CHECK(validate_catalogue(c).error().code == "duplicate_entry");
    c = default_category_catalogue();
    c.categories[0].terms.push_back({"permissions", 1});  // same stem as "permission"
    CHECK(validate_catalogue(c).error().code == "duplicate_entry");
    c = default_category_catalogue();
    c.categories[0].terms[0].weight = 0;
    CHECK(validate_catalogue(c).error().code == "bad_value");
    c = default_category_catalogue();
    c.categories[0].id = "Access!";
    CHECK(validate_catalogue(c).error().code == "bad_value");
    c = default_category_catalogue();
    c.fallback = "misc";
    CHECK(validate_catalogue(c).error().code == "missing_entry");
    c = default_category_catalogue();
    c.categories[0].terms[0].text = "a b c d e";
    CHECK(validate_catalogue(c).error().code == "too_long");

    auto config = parse_triage_config(R"({"categories": {"fallback": "misc", "min_score": 1,
        "list": [{"id": "lab", "label": "Lab equipment", "terms": {"oscilloscope": 4, "fume hood": 4}},
                 {"id": "misc"}]}})");
    REQUIRE(config.ok());
    auto m = CategoryMatcher::create(config.value().catalogue);
    REQUIRE(m.ok());
    CHECK(m.value().suggest("Fume hood alarm", "").category == "lab");
    CHECK(m.value().suggest("coffee machine", "").category == "misc");
    auto bad = parse_triage_config(R"({"categories": {"list": [{"id": "x", "terms": {"vpn": "high"}}]}})");
    CHECK(bad.error().code == "wrong_type");
}
