// dashboard_screen.cpp — the technician's dashboard (issue #10): headline figures (open, overdue,
// at risk, waiting, median first response and resolution), open tickets by status as bars
// stacked by priority, the age of open tickets as a histogram, tickets opened and resolved per day
// over two weeks as lines, open tickets per technician as bars, the most urgent tickets (a click
// opens one) and what the knowledge base did. Charts are drawn with Dear ImGui's draw list; a bar
// or point under the pointer shows its figure. The figures come from the engine's dashboard
// command on this device's data, so it works offline; asked again when tickets change and every
// minute (SLA marks move with the clock).
// Not here: the figures (client/engine/ticket_dashboard.h).
#include <algorithm>
#include <array>
#include <ctime>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr double kDashboardRefreshSeconds = 60.0;
constexpr float kChartHeight = 190.0f;
constexpr float kTwoColumnsMinWidth = 860.0f;

const std::array<ImVec4, 5> kPriorityColours{{{0.64f, 0.09f, 0.11f, 1.0f},    // P1 critical
                                              {0.87f, 0.36f, 0.18f, 1.0f},    // P2 high
                                              {0.93f, 0.66f, 0.16f, 1.0f},    // P3 medium
                                              {0.27f, 0.51f, 0.75f, 1.0f},    // P4 low
                                              {0.62f, 0.66f, 0.72f, 1.0f}}};  // P5 planning
const ImVec4 kOpenedLine{0.27f, 0.51f, 0.75f, 1.0f};
const ImVec4 kAxis{0.80f, 0.82f, 0.85f, 1.0f};
constexpr std::array<const char*, 6> kAgingWords{"< 1 day", "1–3 days", "3–7 days", "1–2 weeks", "2–4 weeks", "4+ weeks"};

std::int64_t count_of(const nlohmann::json& j) { return j.is_number_integer() ? j.get<std::int64_t>() : 0; }

// A rectangle on the screen.
struct Box {
    ImVec2 Min, Max;
    float GetWidth() const { return Max.x - Min.x; }
    float GetHeight() const { return Max.y - Min.y; }
    bool Contains(ImVec2 p) const { return p.x >= Min.x && p.y >= Min.y && p.x < Max.x && p.y < Max.y; }
};

// "3 Dec": the day of Unix ms, in local time.
std::string day_words(std::int64_t ms) {
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm at{};
    localtime_r(&seconds, &at);
    char text[32];
    std::strftime(text, sizeof text, "%e %b", &at);
    return text[0] == ' ' ? text + 1 : text;
}

std::string status_label(std::string status) {
    if (status == "waiting_on_requester") return "Waiting";
    if (status == "in_progress") return "In progress";
    if (status == "new") return "New";
    if (!status.empty()) status[0] = static_cast<char>(status[0] - 'a' + 'A');
    return status;
}

// Reserves a chart's space below a title and returns its rectangle; named for tests.
Box chart_area(const char* title, float width, float height) {
    ImGui::TextUnformatted(title);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(title, ImVec2(width, height));  // an item with an id: tests find the chart
    test_hooks::label_last_item(title);
    return Box{at, ImVec2(at.x + width, at.y + height)};
}

bool hovered(const Box& r) { return ImGui::IsWindowHovered() && r.Contains(ImGui::GetIO().MousePos); }

// A headline figure: the number large, the words under it.
void tile(const char* words, const std::string& figure, const ImVec4& colour, float width, ImFont* big) {
    ImGui::BeginGroup();
    ImGui::PushFont(big);
    ImGui::TextColored(colour, "%s", figure.c_str());
    ImGui::PopFont();
    ImGui::TextColored(theme::kTextMuted, "%s", words);
    ImGui::Dummy(ImVec2(width, 0.0f));
    ImGui::EndGroup();
}

// Open tickets per status, one horizontal bar each, stacked by priority (P1 first), with a legend.
void status_priority_chart(const nlohmann::json& d, float width) {
    const nlohmann::json& statuses = field(d, "statuses");
    const nlohmann::json& counts = field(d, "open_by_status_priority");
    const nlohmann::json& priorities = field(d, "priorities");  // the columns of `counts`, P1 first
    auto priority_name = [&](std::size_t p) -> std::string {
        return priorities.is_array() && p < priorities.size() && priorities[p].is_string() ? priorities[p].get<std::string>() : "";
    };
    const Box area = chart_area("Open tickets by status and priority", width, kChartHeight);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float label_width = 90.0f, legend_height = 22.0f;
    std::int64_t most = 1;
    for (const nlohmann::json& row : counts) {
        std::int64_t sum = 0;
        for (const nlohmann::json& n : row) sum += count_of(n);
        most = std::max(most, sum);
    }
    const std::size_t rows = statuses.is_array() ? statuses.size() : 0;
    const float row_height = rows ? (area.GetHeight() - legend_height) / static_cast<float>(rows) : 0.0f;
    const float bar_left = area.Min.x + label_width, bar_width = area.GetWidth() - label_width - 36.0f;
    for (std::size_t s = 0; s < rows; ++s) {
        const float y = area.Min.y + row_height * static_cast<float>(s);
        const std::string label = status_label(statuses[s].is_string() ? statuses[s].get<std::string>() : "");
        draw->AddText(ImVec2(area.Min.x, y + (row_height - ImGui::GetTextLineHeight()) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text),
                      label.c_str());
        float x = bar_left;
        std::int64_t sum = 0;
        const nlohmann::json& row = counts.is_array() && s < counts.size() ? counts[s] : nlohmann::json();
        for (std::size_t p = 0; p < kPriorityColours.size() && row.is_array() && p < row.size(); ++p) {
            const std::int64_t n = count_of(row[p]);
            if (n == 0) continue;
            const float w = bar_width * static_cast<float>(n) / static_cast<float>(most);
            const Box bar{ImVec2(x, y + row_height * 0.2f), ImVec2(x + w, y + row_height * 0.8f)};
            draw->AddRectFilled(bar.Min, bar.Max, ImGui::GetColorU32(kPriorityColours[p]));
            if (hovered(bar))
                ImGui::SetTooltip("%s, %s: %lld", label.c_str(), priority_words(priority_name(p)).c_str(), static_cast<long long>(n));
            x += w;
            sum += n;
        }
        const std::string total = std::to_string(sum);
        draw->AddText(ImVec2(x + 6.0f, y + (row_height - ImGui::GetTextLineHeight()) * 0.5f), ImGui::GetColorU32(theme::kTextMuted),
                      total.c_str());
    }
    // The legend: one swatch per priority.
    float x = bar_left;
    const float y = area.Max.y - legend_height + 4.0f;
    for (std::size_t p = 0; p < kPriorityColours.size(); ++p) {
        const std::string words = priority_words(priority_name(p));
        draw->AddRectFilled(ImVec2(x, y + 3.0f), ImVec2(x + 10.0f, y + 13.0f), ImGui::GetColorU32(kPriorityColours[p]));
        draw->AddText(ImVec2(x + 14.0f, y), ImGui::GetColorU32(theme::kTextMuted), words.c_str());
        x += 24.0f + ImGui::CalcTextSize(words.c_str()).x;
    }
}

// Vertical bars with a label under each and the figure above; a bar under the pointer shows both.
void column_chart(const char* title, const std::vector<std::string>& labels, const std::vector<std::int64_t>& values,
                  const ImVec4& colour, float width) {
    const Box area = chart_area(title, width, kChartHeight);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float label_height = ImGui::GetTextLineHeightWithSpacing(), top = ImGui::GetTextLineHeight() + 4.0f;
    std::int64_t most = 1;
    for (std::int64_t v : values) most = std::max(most, v);
    const float slot = area.GetWidth() / static_cast<float>(std::max<std::size_t>(values.size(), 1));
    const float base = area.Max.y - label_height, full = base - area.Min.y - top;
    draw->AddLine(ImVec2(area.Min.x, base), ImVec2(area.Max.x, base), ImGui::GetColorU32(kAxis));
    for (std::size_t i = 0; i < values.size(); ++i) {
        const float x = area.Min.x + slot * static_cast<float>(i);
        const float h = full * static_cast<float>(values[i]) / static_cast<float>(most);
        const Box bar{ImVec2(x + slot * 0.18f, base - h), ImVec2(x + slot * 0.82f, base)};
        draw->AddRectFilled(bar.Min, bar.Max, ImGui::GetColorU32(colour), 2.0f);
        const std::string figure = std::to_string(values[i]);
        const float fw = ImGui::CalcTextSize(figure.c_str()).x, lw = ImGui::CalcTextSize(labels[i].c_str()).x;
        draw->AddText(ImVec2(x + (slot - fw) * 0.5f, base - h - top), ImGui::GetColorU32(ImGuiCol_Text), figure.c_str());
        draw->AddText(ImVec2(x + (slot - lw) * 0.5f, base + 3.0f), ImGui::GetColorU32(theme::kTextMuted), labels[i].c_str());
        if (hovered(Box{ImVec2(x, area.Min.y), ImVec2(x + slot, area.Max.y)}))
            ImGui::SetTooltip("%s: %lld", labels[i].c_str(), static_cast<long long>(values[i]));
    }
}

// Two lines over the days of the trend: opened (blue) and resolved (green), points on each day.
void trend_chart(const nlohmann::json& trend, float width) {
    const Box area = chart_area("Opened and resolved per day (last 14 days)", width, kChartHeight);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const nlohmann::json& opened = field(trend, "opened");
    const nlohmann::json& resolved = field(trend, "resolved");
    const std::size_t days = opened.is_array() ? opened.size() : 0;
    if (days < 2) return;
    std::int64_t most = 1;
    for (const nlohmann::json* line : {&opened, &resolved})
        for (const nlohmann::json& n : *line) most = std::max(most, count_of(n));
    const float left = area.Min.x + 28.0f, right = area.Max.x - 8.0f;
    const float top = area.Min.y + 8.0f, base = area.Max.y - ImGui::GetTextLineHeightWithSpacing() - 18.0f;
    auto point = [&](std::size_t day, std::int64_t n) {
        return ImVec2(left + (right - left) * static_cast<float>(day) / static_cast<float>(days - 1),
                      base - (base - top) * static_cast<float>(n) / static_cast<float>(most));
    };
    // Axes: zero and the largest figure on the left; the first and last day under the line.
    draw->AddLine(ImVec2(left, base), ImVec2(right, base), ImGui::GetColorU32(kAxis));
    draw->AddLine(ImVec2(left, top), ImVec2(right, top), ImGui::GetColorU32(kAxis));
    draw->AddText(ImVec2(area.Min.x, base - ImGui::GetTextLineHeight() * 0.5f), ImGui::GetColorU32(theme::kTextMuted), "0");
    const std::string most_text = std::to_string(most);
    draw->AddText(ImVec2(area.Min.x, top - ImGui::GetTextLineHeight() * 0.5f), ImGui::GetColorU32(theme::kTextMuted), most_text.c_str());
    const std::int64_t first_day_ms = count_of(field(trend, "first_day_ms"));
    const std::string first_day = day_words(first_day_ms), last_day = day_words(first_day_ms + static_cast<std::int64_t>(days - 1) * 86400000LL);
    draw->AddText(ImVec2(left, base + 4.0f), ImGui::GetColorU32(theme::kTextMuted), first_day.c_str());
    draw->AddText(ImVec2(right - ImGui::CalcTextSize(last_day.c_str()).x, base + 4.0f), ImGui::GetColorU32(theme::kTextMuted),
                  last_day.c_str());
    const std::array<std::pair<const nlohmann::json*, ImVec4>, 2> lines{{{&opened, kOpenedLine}, {&resolved, theme::kOnline}}};
    for (const auto& [line, colour] : lines) {
        std::vector<ImVec2> points;
        for (std::size_t day = 0; day < days && day < line->size(); ++day) points.push_back(point(day, count_of((*line)[day])));
        draw->AddPolyline(points.data(), static_cast<int>(points.size()), ImGui::GetColorU32(colour), ImDrawFlags_None, 2.0f);
        for (const ImVec2& p : points) draw->AddCircleFilled(p, 3.0f, ImGui::GetColorU32(colour));
    }
    // Which day is under the pointer: both figures.
    if (hovered(area)) {
        const float at = (ImGui::GetIO().MousePos.x - left) / (right - left) * static_cast<float>(days - 1);
        const auto day = static_cast<std::size_t>(std::clamp(at + 0.5f, 0.0f, static_cast<float>(days - 1)));
        const std::string date = day_words(first_day_ms + static_cast<std::int64_t>(day) * 86400000LL);
        ImGui::SetTooltip("%s: %lld opened, %lld resolved", date.c_str(),
                          static_cast<long long>(count_of(opened[day])), static_cast<long long>(count_of(resolved[day])));
    }
    // The legend.
    float x = left;
    const float y = area.Max.y - ImGui::GetTextLineHeight();
    for (const auto& [words, colour] : {std::pair{"opened", kOpenedLine}, std::pair{"resolved", theme::kOnline}}) {
        draw->AddLine(ImVec2(x, y + 7.0f), ImVec2(x + 14.0f, y + 7.0f), ImGui::GetColorU32(colour), 2.0f);
        draw->AddText(ImVec2(x + 18.0f, y), ImGui::GetColorU32(theme::kTextMuted), words);
        x += 30.0f + ImGui::CalcTextSize(words).x;
    }
}

// One horizontal bar per technician: open tickets, with "· n resolved" recently beside it.
void technician_chart(const nlohmann::json& technicians, float width) {
    const std::size_t rows = technicians.is_array() ? std::min<std::size_t>(technicians.size(), 8) : 0;
    const float row_height = ImGui::GetTextLineHeightWithSpacing() + 6.0f;
    const Box area = chart_area("Open tickets per technician", width, std::max(row_height * static_cast<float>(rows), row_height));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (rows == 0) {
        draw->AddText(area.Min, ImGui::GetColorU32(theme::kTextMuted), "No tickets on this device yet.");
        return;
    }
    std::int64_t most = 1;
    for (std::size_t i = 0; i < rows; ++i) most = std::max(most, count_of(field(technicians[i], "open")));
    const float label_width = 120.0f;
    const float figures_width = ImGui::CalcTextSize("000 open · 000 resolved").x + 8.0f;
    const float bar_width = std::max(area.GetWidth() - label_width - figures_width, 20.0f);
    for (std::size_t i = 0; i < rows; ++i) {
        const nlohmann::json& t = technicians[i];
        std::string name = text_of(t, "name", "");
        if (name.empty()) name = "Unassigned";
        const float y = area.Min.y + row_height * static_cast<float>(i);
        draw->AddText(ImVec2(area.Min.x, y + 3.0f), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
        const std::int64_t open = count_of(field(t, "open"));
        const float w = bar_width * static_cast<float>(open) / static_cast<float>(most);
        const float x = area.Min.x + label_width;
        draw->AddRectFilled(ImVec2(x, y + 3.0f), ImVec2(x + w, y + row_height - 5.0f),
                            ImGui::GetColorU32(name == "Unassigned" ? theme::kUnknown : theme::kBrand), 2.0f);
        const std::string figures = std::to_string(open) + " open · " + std::to_string(count_of(field(t, "resolved_recently"))) + " resolved";
        draw->AddText(ImVec2(x + w + 6.0f, y + 3.0f), ImGui::GetColorU32(theme::kTextMuted), figures.c_str());
    }
}

}  // namespace

void PortalApp::refresh_dashboard_if_due(double now_s) {
    if (screen_ != Screen::Dashboard || !help_desk_role() || dashboard_in_flight_) return;
    if (!dashboard_dirty_ && now_s - dashboard_asked_s_ < kDashboardRefreshSeconds) return;
    dashboard_dirty_ = false;
    dashboard_in_flight_ = true;
    dashboard_asked_s_ = now_s;
    engine_.send("dashboard", nlohmann::json::object(), [this](const commands::Response& r) {
        dashboard_in_flight_ = false;
        if (!r.ok) {
            dashboard_message_ = "The dashboard could not be read: " + r.error.message;
            return;
        }
        dashboard_message_.clear();
        dashboard_ = r.result;
        for (const nlohmann::json& row : field(field(dashboard_, "sla"), "most_urgent")) fonts_.note_text(text_of(row, "title", ""));
    });
}

void PortalApp::draw_dashboard(float width) {
    ImGui::BeginChild("Dashboard", ImVec2(width, 0.0f), true);
    if (!help_desk_role()) {
        muted_text("The dashboard is for the help desk's technicians.");
        ImGui::EndChild();
        return;
    }
    if (!dashboard_message_.empty()) warning_text(dashboard_message_);
    const nlohmann::json& d = dashboard_;
    if (!d.is_object()) {
        muted_text("Counting the tickets on this device…");
        ImGui::EndChild();
        return;
    }
    const nlohmann::json& sla = field(d, "sla");
    const nlohmann::json& response = field(d, "first_response");
    const nlohmann::json& resolution = field(d, "resolution");
    auto median = [](const nlohmann::json& times) {
        return count_of(field(times, "count")) > 0 ? duration_words(count_of(field(times, "median_ms"))) : std::string("—");
    };
    // What tests read: the headline figures and the chart data, as the engine answered them.
    test_hooks::expose("dashboard", nlohmann::json{{"open", field(d, "open")},
                                                   {"resolved", field(d, "resolved")},
                                                   {"closed", field(d, "closed")},
                                                   {"overdue", field(sla, "overdue")},
                                                   {"at_risk", field(sla, "at_risk")},
                                                   {"open_by_status_priority", field(d, "open_by_status_priority")},
                                                   {"aging", field(d, "aging")},
                                                   {"technicians", field(d, "technicians")},
                                                   {"first_response", response},
                                                   {"resolution", resolution},
                                                   {"trend", field(d, "trend")},
                                                   {"knowledge", field(d, "knowledge")}}
                                        .dump());

    // Headline figures.
    const float inner = ImGui::GetContentRegionAvail().x;
    const float tile_width = std::max(110.0f, (inner - 5.0f * ImGui::GetStyle().ItemSpacing.x) / 6.0f);
    const std::array<std::tuple<const char*, std::string, ImVec4>, 6> tiles{{
        {"open", std::to_string(count_of(field(d, "open"))), ImGui::GetStyleColorVec4(ImGuiCol_Text)},
        {"overdue", std::to_string(count_of(field(sla, "overdue"))), count_of(field(sla, "overdue")) ? theme::kBrand : theme::kTextMuted},
        {"at risk", std::to_string(count_of(field(sla, "at_risk"))), count_of(field(sla, "at_risk")) ? theme::kOffline : theme::kTextMuted},
        {"waiting on requesters", std::to_string(count_of(field(sla, "paused"))), theme::kTextMuted},
        {"first response (median)", median(response), ImGui::GetStyleColorVec4(ImGuiCol_Text)},
        {"resolution (median)", median(resolution), ImGui::GetStyleColorVec4(ImGuiCol_Text)},
    }};
    float line_left = ImGui::GetCursorPosX();
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        if (i > 0) {
            if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + tile_width <=
                ImGui::GetWindowPos().x + line_left + inner)
                ImGui::SameLine();
        }
        tile(std::get<0>(tiles[i]), std::get<1>(tiles[i]), std::get<2>(tiles[i]), tile_width, fonts_.heading());
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();

    // The charts: two to a row on a wide screen, one under the other on a narrow one.
    ImGui::BeginChild("Charts", ImVec2(0.0f, 0.0f), false);
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool two = avail >= kTwoColumnsMinWidth;
    const float half = two ? (avail - 24.0f) * 0.5f : avail;
    auto next_column = [&] {
        if (two) ImGui::SameLine(0.0f, 24.0f);
        else ImGui::Spacing();
    };
    ImGui::BeginGroup();
    status_priority_chart(d, half);
    ImGui::EndGroup();
    next_column();
    ImGui::BeginGroup();
    std::vector<std::string> aging_labels(kAgingWords.begin(), kAgingWords.end());
    std::vector<std::int64_t> aging;
    for (const nlohmann::json& n : field(d, "aging")) aging.push_back(count_of(n));
    aging.resize(aging_labels.size(), 0);
    column_chart("Age of open tickets", aging_labels, aging, theme::kOffline, half);
    ImGui::EndGroup();
    ImGui::Spacing();
    ImGui::BeginGroup();
    trend_chart(field(d, "trend"), half);
    ImGui::EndGroup();
    next_column();
    ImGui::BeginGroup();
    technician_chart(field(d, "technicians"), half);
    ImGui::EndGroup();
    ImGui::Spacing();

    // The most urgent open tickets, and the knowledge base.
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Most urgent");
    const nlohmann::json& urgent = field(sla, "most_urgent");
    if (!urgent.is_array() || urgent.empty()) muted_text("No open ticket is overdue or at risk.");
    std::string open_id;
    for (const nlohmann::json& row : urgent) {
        const nlohmann::json& number = field(row, "number");
        const std::string label = number.is_number_integer() ? "#" + std::to_string(number.get<std::int64_t>()) : "(new)";
        const std::string left = text_of(row, "sla", "") == "overdue"
                                     ? "overdue " + duration_words(count_of(field(row, "left_ms")))
                                     : duration_words(count_of(field(row, "left_ms"))) + " left";
        const std::string line = label + "  " + text_of(row, "title", "") + "  ·  " + left;
        ImGui::PushStyleColor(ImGuiCol_Text, text_of(row, "sla", "") == "overdue" ? theme::kBrand : theme::kOffline);
        if (ImGui::Selectable((line + "##urgent " + text_of(row, "id", "")).c_str(), false, 0, ImVec2(half, 0.0f)))
            open_id = text_of(row, "id", "");
        ImGui::PopStyleColor();
        test_hooks::label_last_item(label);
    }
    ImGui::Dummy(ImVec2(half, 0.0f));  // the group is a column wide, whatever it holds
    ImGui::EndGroup();
    next_column();
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Knowledge base");
    const nlohmann::json& kb = field(d, "knowledge");
    const std::string kb_lines =
        std::to_string(count_of(field(kb, "suggested"))) + " articles suggested on tickets, " +
        std::to_string(count_of(field(kb, "linked"))) + " linked by the help desk, " + std::to_string(count_of(field(kb, "solved"))) +
        " marked as the solution.\n" + std::to_string(count_of(field(kb, "deflections_here"))) +
        " problems solved by an article on this device without a ticket (the desk-wide count: lifebuoy-server kb deflections).";
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + half);
    ImGui::TextColored(theme::kTextMuted, "%s", kb_lines.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::EndChild();
    ImGui::EndChild();
    if (!open_id.empty()) open_ticket(open_id, Screen::Dashboard);
}

}  // namespace lb::ui
