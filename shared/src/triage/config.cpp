// triage/config.cpp — JSON → TriageConfig: matrix, SLA, escalation, categories. Sites: config_sites.cpp;
// dispatch: config_dispatch.cpp.
#include "lifebuoy/triage/config.h"

#include <nlohmann/json.hpp>

#include "config_detail.h"
#include "lifebuoy/triage/errors.h"

namespace lb::triage {
namespace {

using json = nlohmann::json;
using detail::at_most_depth;
using detail::check_members;
using detail::err;

constexpr std::string_view kLevelNames[] = {"high", "medium", "low"};

Result<PriorityMatrix> parse_matrix(const json& j) {
    if (!j.is_object()) return err(TriageError::wrong_type, "priority_matrix: not an object");
    if (auto ok = check_members(j, {"high", "medium", "low"}, "priority_matrix"); !ok) return ok.error();
    PriorityMatrix m;
    for (std::size_t i = 0; i < kLevels; ++i) {
        const std::string row_where = "priority_matrix." + std::string(kLevelNames[i]);
        const auto row = j.find(kLevelNames[i]);
        if (row == j.end()) return err(TriageError::missing_entry, row_where + ": missing");
        if (!row->is_object()) return err(TriageError::wrong_type, row_where + ": not an object");
        if (auto ok = check_members(*row, {"high", "medium", "low"}, row_where); !ok) return ok.error();
        for (std::size_t u = 0; u < kLevels; ++u) {
            const std::string where = row_where + "." + std::string(kLevelNames[u]);
            const auto cell = row->find(kLevelNames[u]);
            if (cell == row->end()) return err(TriageError::missing_entry, where + ": missing");
            if (!cell->is_string()) return err(TriageError::wrong_type, where + ": not a string");
            const Priority p = priority_from_name(cell->get_ref<const std::string&>());
            if (p == Priority::unknown) return err(TriageError::unknown_name, where + ": not a priority name");
            m.cells[i][u] = p;
        }
    }
    if (auto ok = validate_priority_matrix(m); !ok) return ok.error();
    return m;
}

Result<std::int64_t> minutes(const json& j, const char* key, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end()) return err(TriageError::missing_entry, where + "." + key + ": missing");
    if (!it->is_number_integer()) return err(TriageError::wrong_type, where + "." + key + ": not an integer");
    return it->get<std::int64_t>();
}

Result<SlaPolicy> parse_sla(const json& j) {
    if (!j.is_object()) return err(TriageError::wrong_type, "sla: not an object");
    if (auto ok = check_members(j, {"untriaged_as", "critical", "high", "medium", "low", "planning"}, "sla"); !ok) {
        return ok.error();
    }
    SlaPolicy policy;
    for (std::size_t i = 0; i < policy.by_priority.size(); ++i) {
        const std::string name(to_name(static_cast<Priority>(i)));
        const std::string where = "sla." + name;
        const auto it = j.find(name);
        if (it == j.end()) return err(TriageError::missing_entry, where + ": missing");
        if (!it->is_object()) return err(TriageError::wrong_type, where + ": not an object");
        if (auto ok = check_members(*it, {"first_response_minutes", "resolution_minutes", "clock"}, where); !ok) {
            return ok.error();
        }
        SlaTarget t;
        auto response = minutes(*it, "first_response_minutes", where);
        if (!response) return response.error();
        auto resolution = minutes(*it, "resolution_minutes", where);
        if (!resolution) return resolution.error();
        t.first_response_minutes = response.value();
        t.resolution_minutes = resolution.value();
        if (const auto clock = it->find("clock"); clock != it->end()) {
            if (!clock->is_string()) return err(TriageError::wrong_type, where + ".clock: not a string");
            const auto& text = clock->get_ref<const std::string&>();
            if (text == "continuous") t.mode = SlaClockMode::continuous;
            else if (text == "business_hours") t.mode = SlaClockMode::business_hours;
            else return err(TriageError::unknown_name, where + ".clock: business_hours or continuous");
        }
        policy.by_priority[i] = t;
    }
    if (const auto it = j.find("untriaged_as"); it != j.end()) {
        if (!it->is_string()) return err(TriageError::wrong_type, "sla.untriaged_as: not a string");
        policy.untriaged_as = priority_from_name(it->get_ref<const std::string&>());
        if (policy.untriaged_as == Priority::unknown) {
            return err(TriageError::unknown_name, "sla.untriaged_as: not a priority name");
        }
    }
    if (auto ok = validate_sla_policy(policy); !ok) return ok.error();
    return policy;
}

Result<EscalationPolicy> parse_escalation(const json& j) {
    if (!j.is_object()) return err(TriageError::wrong_type, "escalation: not an object");
    if (auto ok = check_members(j, {"at_risk_fraction", "check_interval_seconds", "raise_priority"}, "escalation"); !ok) {
        return ok.error();
    }
    EscalationPolicy policy;
    if (const auto it = j.find("at_risk_fraction"); it != j.end()) {
        if (!it->is_number()) return err(TriageError::wrong_type, "escalation.at_risk_fraction: not a number");
        policy.at_risk_fraction = it->get<double>();
    }
    if (const auto it = j.find("check_interval_seconds"); it != j.end()) {
        if (!it->is_number_integer()) {
            return err(TriageError::wrong_type, "escalation.check_interval_seconds: not an integer");
        }
        policy.check_interval_seconds = it->get<std::int64_t>();
    }
    if (const auto it = j.find("raise_priority"); it != j.end()) {
        if (!it->is_boolean()) return err(TriageError::wrong_type, "escalation.raise_priority: not true or false");
        policy.raise_priority = it->get<bool>();
    }
    if (auto ok = validate_escalation_policy(policy); !ok) return ok.error();
    return policy;
}

Result<CategoryCatalogue> parse_categories(const json& j) {
    if (!j.is_object()) return err(TriageError::wrong_type, "categories: not an object");
    if (auto ok = check_members(j, {"fallback", "min_score", "list"}, "categories"); !ok) return ok.error();
    CategoryCatalogue c;
    if (const auto it = j.find("fallback"); it != j.end()) {
        if (!it->is_string()) return err(TriageError::wrong_type, "categories.fallback: not a string");
        c.fallback = it->get<std::string>();
    }
    if (const auto it = j.find("min_score"); it != j.end()) {
        if (!it->is_number()) return err(TriageError::wrong_type, "categories.min_score: not a number");
        c.min_score = it->get<double>();
    }
    const auto list = j.find("list");
    if (list == j.end()) return err(TriageError::missing_entry, "categories.list: missing");
    if (!list->is_array()) return err(TriageError::wrong_type, "categories.list: not an array");
    if (list->size() > kMaxCategories) return err(TriageError::too_long, "categories.list: too many");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& item = (*list)[i];
        const std::string where = "categories.list[" + std::to_string(i) + "]";
        if (!item.is_object()) return err(TriageError::wrong_type, where + ": not an object");
        if (auto ok = check_members(item, {"id", "label", "terms"}, where); !ok) return ok.error();
        Category category;
        const auto id = item.find("id");
        if (id == item.end() || !id->is_string()) return err(TriageError::missing_entry, where + ".id: a string is required");
        category.id = id->get<std::string>();
        if (const auto label = item.find("label"); label != item.end()) {
            if (!label->is_string()) return err(TriageError::wrong_type, where + ".label: not a string");
            category.label = label->get<std::string>();
        } else {
            category.label = category.id;
        }
        if (const auto terms = item.find("terms"); terms != item.end()) {
            if (!terms->is_object()) return err(TriageError::wrong_type, where + ".terms: not an object");
            if (terms->size() > kMaxTermsPerCategory) return err(TriageError::too_long, where + ".terms: too many");
            for (const auto& [text, weight] : terms->items()) {
                if (!weight.is_number()) return err(TriageError::wrong_type, where + ".terms: weights are numbers");
                category.terms.push_back({text, weight.get<double>()});
            }
        }
        c.categories.push_back(std::move(category));
    }
    if (auto ok = validate_catalogue(c); !ok) return ok.error();
    return c;
}

}  // namespace

const BusinessCalendar* TriageConfig::site(std::string_view name) const {
    for (const BusinessCalendar& c : sites) {
        if (c.site == name) return &c;
    }
    return nullptr;
}

const BusinessCalendar& TriageConfig::calendar_for(std::string_view ticket_site) const {
    static const BusinessCalendar round_the_clock = round_the_clock_calendar();
    if (const auto* c = site(ticket_site)) return *c;
    if (const auto* c = site(dispatch.default_site)) return *c;
    return sites.empty() ? round_the_clock : sites.front();
}

Result<TriageConfig> parse_triage_config(std::string_view json_text) {
    if (json_text.size() > kMaxTriageConfigBytes) {
        return err(TriageError::malformed_config, "config: over " + std::to_string(kMaxTriageConfigBytes) + " bytes");
    }
    if (!at_most_depth(json_text, kMaxTriageConfigDepth)) {
        return err(TriageError::malformed_config, "config: nested too deeply");
    }
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded()) {
        const detail::SyntaxError where = detail::find_syntax_error(json_text);
        return err(TriageError::malformed_config, "config: not JSON: " + where.message);
    }
    if (!j.is_object()) return err(TriageError::wrong_type, "config: not an object");
    if (auto ok = check_members(j, {"priority_matrix", "sla", "escalation", "sites", "categories", "dispatch"},
                                "config");
        !ok) {
        return ok.error();
    }
    TriageConfig config;
    if (const auto it = j.find("priority_matrix"); it != j.end()) {
        auto m = parse_matrix(*it);
        if (!m) return m.error();
        config.matrix = m.value();
    }
    if (const auto it = j.find("sla"); it != j.end()) {
        auto s = parse_sla(*it);
        if (!s) return s.error();
        config.sla = s.value();
    }
    if (const auto it = j.find("escalation"); it != j.end()) {
        auto e = parse_escalation(*it);
        if (!e) return e.error();
        config.escalation = e.value();
    }
    if (const auto it = j.find("sites"); it != j.end()) {
        auto s = detail::parse_sites(*it);
        if (!s) return s.error();
        config.sites = std::move(s).value();
    }
    if (const auto it = j.find("categories"); it != j.end()) {
        auto c = parse_categories(*it);
        if (!c) return c.error();
        config.catalogue = std::move(c).value();
    }
    if (const auto it = j.find("dispatch"); it != j.end()) {
        auto d = detail::parse_dispatch(*it);
        if (!d) return d.error();
        config.dispatch = std::move(d).value();
        if (auto ok = detail::check_dispatch_references(config); !ok) return ok.error();
    }
    return config;
}

}  // namespace lb::triage
