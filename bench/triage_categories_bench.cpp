// triage_categories_bench.cpp — how the default category rules (lifebuoy/triage/categorize.h)
// spread 5,431 real anonymised help-desk tickets (LB_SHARED_DATA_DIR "/tickets.jsonl", title +
// body) over categories, against the dataset's `topic_group` label (3,805 rows have one).
//
// Prints: the spread over our categories; a confusion table (rows: our category, columns:
// topic_group); agreement % under a fixed mapping of our categories onto topic groups, for all
// labelled rows and for the even and odd rows apart (some keywords were chosen after looking at
// the even rows); suggestions per second (median of 5 runs).
// Caveats: topic_group is not a help-desk label (probably topic modelling by the uploader) and is
// visibly noisy, the text is lower-cased with stop words removed, and our catalogue has categories
// with no counterpart. The agreement is a sanity check of the rules, not an accuracy figure.
// Not here: unit tests of the categoriser (tests/unit/triage_categorize_test.cpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifebuoy/triage/categorize.h"

using namespace lb::triage;

namespace {

struct Row {
    std::string title;
    std::string body;
    std::string topic;  // "" when none
};

// Our category → the topic group it corresponds to ("" = no counterpart; counts as disagreement).
const std::map<std::string, std::string> kMapping = {
    {"access", "Access"},           {"account_password", "Access"},     {"hardware", "Hardware"},
    {"network_vpn", "Hardware"},    {"email", "Miscellaneous"},         {"printing", "Miscellaneous"},
    {"software", "Administrative rights"}, {"storage", "Storage"},      {"business_apps", "Internal Project"},
    {"purchase", "Purchase"},       {"hr", "HR Support"},               {"other", "Miscellaneous"},
};

}  // namespace

int main() {
    const std::string path = std::string(LB_SHARED_DATA_DIR) + "/tickets.jsonl";
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        return 1;
    }
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        Row r;
        r.title = j.value("title", "");
        r.body = j.value("body", "");
        if (j.contains("topic_group") && j["topic_group"].is_string()) r.topic = j["topic_group"].get<std::string>();
        rows.push_back(std::move(r));
    }
    auto matcher = CategoryMatcher::create(default_category_catalogue());
    if (!matcher) {
        std::fprintf(stderr, "catalogue: %s\n", matcher.error().message.c_str());
        return 1;
    }
    const CategoryMatcher& m = matcher.value();

    std::vector<std::string> suggested(rows.size());
    std::vector<double> seconds;
    for (int run = 0; run < 5; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < rows.size(); ++i) suggested[i] = m.suggest(rows[i].title, rows[i].body).category;
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(seconds.begin(), seconds.end());

    std::vector<std::string> topics;
    std::map<std::string, std::map<std::string, int>> table;
    std::map<std::string, int> spread;
    int labelled[2] = {0, 0};
    int agree[2] = {0, 0};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ++spread[suggested[i]];
        const std::string topic = rows[i].topic.empty() ? "(none)" : rows[i].topic;
        if (std::find(topics.begin(), topics.end(), topic) == topics.end()) topics.push_back(topic);
        ++table[suggested[i]][topic];
        if (rows[i].topic.empty()) continue;
        ++labelled[i % 2];
        if (kMapping.at(suggested[i]) == rows[i].topic) ++agree[i % 2];
    }
    std::sort(topics.begin(), topics.end());

    std::printf("triage_categories_bench: %zu tickets from %s\n\n", rows.size(), path.c_str());
    std::printf("Spread over our categories:\n");
    for (const Category& c : m.catalogue().categories) {
        std::printf("  %-17s %5d  %5.1f %%\n", c.id.c_str(), spread[c.id], 100.0 * spread[c.id] / static_cast<double>(rows.size()));
    }
    std::printf("\nConfusion (rows: our category -> mapped topic; columns: topic_group):\n%-17s %-22s", "", "");
    for (const auto& t : topics) std::printf(" %9.9s", t.c_str());
    std::printf("\n");
    for (const Category& c : m.catalogue().categories) {
        std::printf("%-17s %-22s", c.id.c_str(), ("-> " + kMapping.at(c.id)).c_str());
        for (const auto& t : topics) std::printf(" %9d", table[c.id][t]);
        std::printf("\n");
    }
    const int all = labelled[0] + labelled[1];
    std::printf("\nAgreement with topic_group under the mapping: %.1f %% of %d labelled rows "
                "(even rows %.1f %%, odd rows %.1f %%)\n",
                100.0 * (agree[0] + agree[1]) / all, all, 100.0 * agree[0] / labelled[0],
                100.0 * agree[1] / labelled[1]);
    std::printf("Majority-class baseline (always HR Support): %.1f %%\n",
                100.0 * [&] {
                    int n = 0;
                    for (const Row& r : rows) n += r.topic == "HR Support";
                    return n;
                }() / all);
    std::printf("Suggestions/s: %.0f (median of 5 runs over %zu tickets)\n",
                static_cast<double>(rows.size()) / seconds[seconds.size() / 2], rows.size());
    return 0;
}
