// triage_config_file.cpp — reading, validating (with line numbers), writing and describing
// triage.json.
#include "triage_config_file.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "lifebuoy/triage/config_location.h"
#include "lifebuoy/triage/priority.h"

namespace lb::server {

Result<triage::TriageConfig> parse_triage_config_file(std::string_view text, const std::string& name) {
    auto parsed = triage::parse_triage_config(text);
    if (parsed) return parsed;
    const Error& e = parsed.error();
    const triage::ConfigLocation where = triage::locate_config_error(text, e);
    std::string message = name;
    if (where.line > 0) message += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    message += ": " + e.message + " (" + e.code + ")";
    return make_error("bad_triage_config", message);
}

Result<TriageConfigFile> load_triage_config(const std::filesystem::path& path) {
    TriageConfigFile out;
    out.path = path;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return out;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return make_error("storage_error", "cannot read " + path.string() + ": " + ec.message());
    if (size > kMaxTriageConfigFileBytes) {
        return make_error("bad_triage_config", path.string() + ": over " + std::to_string(kMaxTriageConfigFileBytes) +
                                                   " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("storage_error", "cannot open " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    auto config = parse_triage_config_file(text.str(), path.string());
    if (!config) return config.error();
    out.config = std::move(config).value();
    out.from_file = true;
    out.text = text.str();
    return out;
}

Status write_triage_config_if_missing(const std::filesystem::path& path, const std::string& text) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return Ok{};
    const std::filesystem::path partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) return make_error("storage_error", "cannot write " + partial.string());
    }
    std::filesystem::rename(partial, path, ec);
    if (ec) return make_error("storage_error", "cannot write " + path.string() + ": " + ec.message());
    return Ok{};
}

std::string describe_triage_config(const triage::TriageConfig& config) {
    std::string out;
    out += "sites:";
    if (config.sites.empty()) out += " none (one round-the-clock calendar in UTC)";
    for (const auto& site : config.sites) {
        out += " " + site.site + " (" + site.zone.name + ", " + std::to_string(site.holidays.size()) + " holidays)";
    }
    out += "\nSLA (first response / resolution, minutes):";
    for (std::size_t i = 0; i < config.sla.by_priority.size(); ++i) {
        const auto& t = config.sla.by_priority[i];
        out += std::string(" ") + std::string(triage::priority_label(static_cast<Priority>(i))) + " " +
               std::to_string(t.first_response_minutes) + "/" + std::to_string(t.resolution_minutes) +
               (t.mode == triage::SlaClockMode::continuous ? " 24x7;" : ";");
    }
    out += "\nescalation: at " + std::to_string(static_cast<int>(config.escalation.at_risk_fraction * 100 + 0.5)) +
           "% used and on breach, checked every " + std::to_string(config.escalation.check_interval_seconds) + " s" +
           (config.escalation.raise_priority ? ", priority raised" : "");
    const auto& d = config.dispatch;
    out += "\nteam queue: " + d.team + (d.team_lead.empty() ? "" : ", team lead " + d.team_lead);
    out += "\ntechnicians: " + std::to_string(d.technicians.size());
    for (const auto& t : d.technicians) {
        out += "\n  " + t.id + " (" + t.name + ")" + (t.site.empty() ? "" : " at " + t.site) + ", skills";
        for (const auto& skill : t.skills) out += " " + skill;
        out += std::string(t.works_onsite ? ", onsite" : "") + (t.works_remote ? ", remote" : "");
        if (!t.out_of_office.empty()) out += ", " + std::to_string(t.out_of_office.size()) + " out-of-office periods";
    }
    return out + "\n";
}

}  // namespace lb::server
