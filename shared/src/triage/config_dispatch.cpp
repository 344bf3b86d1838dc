// triage/config_dispatch.cpp — the "dispatch" section of the triage config (team, team lead,
// default site, onsite categories, technicians) → DispatchConfig, and the check of its references
// to the sites and categories sections.
#include <algorithm>

#include "config_detail.h"
#include "lifebuoy/schema.h"

namespace lb::triage::detail {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxTeamBytes = 128;

Result<std::string> text_member(const json& j, const char* key, const std::string& where, std::size_t max_bytes,
                                bool required) {
    const auto it = j.find(key);
    if (it == j.end()) {
        if (required) return err(TriageError::missing_entry, where + "." + key + ": missing");
        return std::string();
    }
    if (!it->is_string()) return err(TriageError::wrong_type, where + "." + key + ": not a string");
    const auto& text = it->get_ref<const std::string&>();
    if (text.size() > max_bytes) {
        return err(TriageError::too_long, where + "." + key + ": at most " + std::to_string(max_bytes) + " bytes");
    }
    return text;
}

Result<bool> flag_member(const json& j, const char* key, const std::string& where, bool fallback) {
    const auto it = j.find(key);
    if (it == j.end()) return fallback;
    if (!it->is_boolean()) return err(TriageError::wrong_type, where + "." + key + ": not true or false");
    return it->get<bool>();
}

Result<std::vector<std::string>> name_list(const json& j, const std::string& where) {
    if (!j.is_array()) return err(TriageError::wrong_type, where + ": not an array");
    if (j.size() > kMaxListItems) return err(TriageError::too_long, where + ": too many");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        if (!j[i].is_string()) return err(TriageError::wrong_type, w + ": not a string");
        const auto& name = j[i].get_ref<const std::string&>();
        if (name.empty() || name.size() > kMaxTeamBytes) return err(TriageError::bad_value, w + ": 1..128 bytes");
        names.push_back(name);
    }
    return names;
}

Result<AwayPeriod> parse_away(const json& j, const std::string& where) {
    if (!j.is_object()) return err(TriageError::wrong_type, where + ": not an object");
    if (auto ok = check_members(j, {"from", "to"}, where); !ok) return ok.error();
    AwayPeriod p;
    for (const char* key : {"from", "to"}) {
        const auto it = j.find(key);
        if (it == j.end()) return err(TriageError::missing_entry, where + "." + key + ": missing");
        const auto date = it->is_string() ? parse_civil_date(it->get_ref<const std::string&>()) : std::nullopt;
        if (!date) return err(TriageError::bad_value, where + "." + key + ": dates are \"YYYY-MM-DD\"");
        (std::string_view(key) == "from" ? p.first_day : p.last_day) = days_from_civil(*date);
    }
    if (p.last_day < p.first_day) return err(TriageError::bad_value, where + ".to: before \"from\"");
    return p;
}

Result<RosterTechnician> parse_technician(const json& j, const std::string& where) {
    if (!j.is_object()) return err(TriageError::wrong_type, where + ": not an object");
    if (auto ok = check_members(j, {"id", "name", "skills", "site", "onsite", "remote", "max_load", "out_of_office"},
                                where);
        !ok) {
        return ok.error();
    }
    RosterTechnician t;
    auto id = text_member(j, "id", where, kMaxRosterIdBytes, true);
    if (!id) return id.error();
    t.id = std::move(id).value();
    if (!is_token(t.id, kMaxRosterIdBytes)) {
        return err(TriageError::bad_value, where + ".id: lower-case letters, digits and _, starting with a letter");
    }
    auto name = text_member(j, "name", where, kMaxRosterNameBytes, false);
    if (!name) return name.error();
    t.name = name.value().empty() ? t.id : std::move(name).value();
    const auto skills = j.find("skills");
    if (skills == j.end()) return err(TriageError::missing_entry, where + ".skills: missing (category ids or \"*\")");
    auto list = name_list(*skills, where + ".skills");
    if (!list) return list.error();
    t.skills = std::move(list).value();
    if (t.skills.empty()) return err(TriageError::bad_value, where + ".skills: at least one (category ids or \"*\")");
    auto site = text_member(j, "site", where, kMaxTeamBytes, false);
    if (!site) return site.error();
    t.site = std::move(site).value();
    auto onsite = flag_member(j, "onsite", where, true);
    if (!onsite) return onsite.error();
    auto remote = flag_member(j, "remote", where, true);
    if (!remote) return remote.error();
    t.works_onsite = onsite.value();
    t.works_remote = remote.value();
    if (!t.works_onsite && !t.works_remote) {
        return err(TriageError::bad_value, where + ".remote: a technician works onsite, remotely or both");
    }
    if (t.works_onsite && t.site.empty() && j.contains("onsite")) {
        return err(TriageError::missing_entry, where + ".site: onsite work needs a site");
    }
    if (const auto it = j.find("max_load"); it != j.end()) {
        if (!it->is_number_integer()) return err(TriageError::wrong_type, where + ".max_load: not an integer");
        const auto v = it->get<std::int64_t>();
        if (v < 0 || v > kMaxTechnicianLoad) {
            return err(TriageError::bad_value, where + ".max_load: 0 (no cap) .. " + std::to_string(kMaxTechnicianLoad));
        }
        t.max_load = static_cast<std::uint32_t>(v);
    }
    if (const auto it = j.find("out_of_office"); it != j.end()) {
        const std::string w = where + ".out_of_office";
        if (!it->is_array()) return err(TriageError::wrong_type, w + ": not an array");
        if (it->size() > kMaxAwayPeriods) return err(TriageError::too_long, w + ": too many");
        for (std::size_t i = 0; i < it->size(); ++i) {
            auto period = parse_away((*it)[i], w + "[" + std::to_string(i) + "]");
            if (!period) return period.error();
            t.out_of_office.push_back(period.value());
        }
    }
    return t;
}

bool is_category(const CategoryCatalogue& catalogue, std::string_view id) {
    return std::any_of(catalogue.categories.begin(), catalogue.categories.end(),
                       [&](const Category& c) { return c.id == id; });
}

}  // namespace

Result<DispatchConfig> parse_dispatch(const json& j) {
    if (!j.is_object()) return err(TriageError::wrong_type, "dispatch: not an object");
    if (auto ok = check_members(j, {"team", "team_lead", "default_site", "onsite_categories", "technicians"},
                                "dispatch");
        !ok) {
        return ok.error();
    }
    DispatchConfig d;
    if (j.contains("team")) {
        auto team = text_member(j, "team", "dispatch", kMaxTeamBytes, true);
        if (!team) return team.error();
        if (team.value().empty()) return err(TriageError::bad_value, "dispatch.team: 1..128 bytes");
        d.team = std::move(team).value();
    }
    auto lead = text_member(j, "team_lead", "dispatch", kMaxRosterIdBytes, false);
    if (!lead) return lead.error();
    d.team_lead = std::move(lead).value();
    auto site = text_member(j, "default_site", "dispatch", kMaxTeamBytes, false);
    if (!site) return site.error();
    d.default_site = std::move(site).value();
    if (const auto it = j.find("onsite_categories"); it != j.end()) {
        auto list = name_list(*it, "dispatch.onsite_categories");
        if (!list) return list.error();
        d.onsite_categories = std::move(list).value();
    }
    if (const auto it = j.find("technicians"); it != j.end()) {
        if (!it->is_array()) return err(TriageError::wrong_type, "dispatch.technicians: not an array");
        if (it->size() > kMaxTechnicians) return err(TriageError::too_long, "dispatch.technicians: too many");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string where = "dispatch.technicians[" + std::to_string(i) + "]";
            auto t = parse_technician((*it)[i], where);
            if (!t) return t.error();
            if (d.technician(t.value().id)) {
                return err(TriageError::duplicate_entry, where + ".id: '" + t.value().id + "' twice");
            }
            d.technicians.push_back(std::move(t).value());
        }
    }
    return d;
}

Status check_dispatch_references(const TriageConfig& config) {
    const DispatchConfig& d = config.dispatch;
    const bool sites_listed = !config.sites.empty();
    if (!d.default_site.empty() && !config.site(d.default_site)) {
        return err(TriageError::unknown_name, "dispatch.default_site: no site '" + d.default_site + "' in sites");
    }
    if (!d.team_lead.empty() && !d.technician(d.team_lead)) {
        return err(TriageError::unknown_name, "dispatch.team_lead: no technician '" + d.team_lead + "'");
    }
    for (std::size_t i = 0; i < d.onsite_categories.size(); ++i) {
        if (!is_category(config.catalogue, d.onsite_categories[i])) {
            return err(TriageError::unknown_name, "dispatch.onsite_categories[" + std::to_string(i) +
                                                      "]: no category '" + d.onsite_categories[i] + "'");
        }
    }
    for (std::size_t i = 0; i < d.technicians.size(); ++i) {
        const RosterTechnician& t = d.technicians[i];
        const std::string where = "dispatch.technicians[" + std::to_string(i) + "]";
        if (!t.site.empty() && sites_listed && !config.site(t.site)) {
            return err(TriageError::unknown_name, where + ".site: no site '" + t.site + "' in sites");
        }
        for (std::size_t k = 0; k < t.skills.size(); ++k) {
            if (t.skills[k] != kAnySkill && !is_category(config.catalogue, t.skills[k])) {
                return err(TriageError::unknown_name, where + ".skills[" + std::to_string(k) + "]: no category '" +
                                                          t.skills[k] + "' (or \"*\" for all)");
            }
        }
    }
    return Ok{};
}

}  // namespace lb::triage::detail
