// knowledge_screen.cpp — "Help articles": the knowledge base on the device, searched and browsed
// without a network. A search box (debounced, same ranking as the suggestions, matched words
// highlighted), a row of category filters, and the articles as cards; with no search words the
// articles are listed by title under their categories. A card opens the article reader
// (knowledge_panel.cpp), whose "Back" returns here and whose "I still need help" goes to the New
// ticket form.
#include <algorithm>
#include <cfloat>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr double kSearchDelaySeconds = 0.15;  // debounce after the last keystroke
constexpr int kBrowseLimit = 100;             // the engine's largest answer

}  // namespace

void PortalApp::load_kb_categories() {
    kb_categories_requested_ = true;
    engine_.send("kb_categories", nlohmann::json::object(), [this](const commands::Response& r) {
        if (!r.ok) {
            kb_error_ = r.error.message;
            return;
        }
        kb_categories_.clear();
        const nlohmann::json& names = field(r.result, "categories");
        if (!names.is_array()) return;
        for (const nlohmann::json& name : names) {
            if (!name.is_string() || name.get<std::string>().empty()) continue;
            kb_categories_.push_back(name.get<std::string>());
            fonts_.note_text(kb_categories_.back());
        }
        // a filter on a category that no longer exists would hide everything
        if (std::find(kb_categories_.begin(), kb_categories_.end(), kb_category_) == kb_categories_.end())
            kb_category_.clear();
    });
}

void PortalApp::kb_search_if_due(double now_s) {
    if (screen_ != Screen::Knowledge && screen_ != Screen::Article) return;
    if (!kb_categories_requested_) load_kb_categories();
    const std::string asked = kb_query_ + '\x1f' + kb_category_;
    if (kb_search_in_flight_ || asked == kb_results_for_ || now_s - kb_last_edit_s_ < kSearchDelaySeconds) return;
    kb_search_in_flight_ = true;
    nlohmann::json args{{"query", kb_query_}, {"limit", kBrowseLimit}};
    if (!kb_category_.empty()) args["category"] = kb_category_;
    const bool browsing = kb_query_.find_first_not_of(" \t\n") == std::string::npos;  // no search words
    engine_.send("kb_search", std::move(args), [this, asked, browsing](const commands::Response& r) {
        kb_search_in_flight_ = false;
        kb_results_for_ = asked;
        if (!r.ok) {
            kb_error_ = r.error.message;
            return;
        }
        kb_error_.clear();
        kb_results_ = read_article_hits(field(r.result, "hits"));
        kb_results_loaded_ = true;
        kb_results_browse_ = browsing;
        // browsing: by category, then by title as the engine listed them
        if (browsing)
            std::stable_sort(kb_results_.begin(), kb_results_.end(),
                             [](const Suggestion& a, const Suggestion& b) { return a.category < b.category; });
    });
}

// "All" and one button per category, wrapping onto more lines as the width needs; on a narrow
// screen (a phone) a drop-down instead, so the articles keep the room.
void PortalApp::draw_kb_category_filter() {
    constexpr float kChipsMinWidth = 560.0f;
    if (ImGui::GetContentRegionAvail().x < kChipsMinWidth) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Category");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-FLT_MIN);
        const bool open = ImGui::BeginCombo("##Category filter", kb_category_.empty() ? "All" : kb_category_.c_str());
        test_hooks::label_last_item("Category filter");
        if (open) {
            std::string chosen = kb_category_;
            if (ImGui::Selectable("All", kb_category_.empty())) chosen.clear();
            for (const std::string& category : kb_categories_)
                if (ImGui::Selectable(category.c_str(), category == kb_category_)) chosen = category;
            if (chosen != kb_category_) {
                kb_category_ = chosen;
                browse_note_.clear();
            }
            ImGui::EndCombo();
        }
        return;
    }
    auto chip = [this](const std::string& label, const std::string& category) {
        const bool current = kb_category_ == category;
        ImGui::PushStyleColor(ImGuiCol_Button, current ? theme::kBrand : theme::kSurface);
        ImGui::PushStyleColor(ImGuiCol_Text, current ? theme::kSurface : theme::kBrand);
        if (ImGui::Button(label.c_str()) && !current) {
            kb_category_ = category;
            kb_last_edit_s_ = 0.0;  // no debounce for a click
            browse_note_.clear();
        }
        ImGui::PopStyleColor(2);
    };
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(8.0f, 3.0f));  // chips: lighter than buttons, still tappable
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    chip("All##all categories", "");
    for (const std::string& category : kb_categories_) {
        same_line_if_fits(category.c_str(), right);  // with the chips' (pushed) padding
        chip(category, category);
    }
    ImGui::PopStyleVar();
}

void PortalApp::draw_knowledge_screen(float width) {
    ImGui::BeginChild("Help articles", ImVec2(width, 0.0f), true);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("Help articles");
    ImGui::PopFont();
    muted_text("Answers to common IT problems. They are kept on this device, so they work offline too.");
    ImGui::Spacing();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint("##Search articles", "Search articles, e.g. \"printer offline\"", &kb_query_)) {
        fonts_.note_text(kb_query_);
        kb_last_edit_s_ = now_s_;
        browse_note_.clear();
    }
    text_fields_.remember();
    test_hooks::expose("Search articles", kb_query_);
    draw_kb_category_filter();
    test_hooks::expose("kb_category", kb_category_.empty() ? "All" : kb_category_);
    if (!browse_note_.empty()) {
        test_hooks::expose("deflection", browse_note_);
        ImGui::TextColored(theme::kOnline, "%s", browse_note_.c_str());
    }
    if (!kb_error_.empty()) ImGui::TextColored(theme::kOffline, "Search failed: %s", kb_error_.c_str());
    ImGui::Separator();

    ImGui::BeginChild("Articles", ImVec2(0.0f, 0.0f), false);
    std::string shown;
    if (!kb_results_loaded_) {
        muted_text("Reading the articles on this device…");
    } else if (kb_results_.empty()) {
        muted_text(kb_query_.empty() ? "There are no articles in this category yet."
                                     : "No article matches those words. Try other words, or tell the help desk.");
        if (ImGui::Button("File a ticket")) screen_ = Screen::NewTicket;
    } else {
        const bool by_title = kb_results_browse_;
        std::string count = std::to_string(kb_results_.size()) + (kb_results_.size() == 1 ? " article" : " articles");
        if (kb_results_.size() == static_cast<std::size_t>(kBrowseLimit))
            count = "The first " + count + " (choose a category or search to narrow them)";
        muted_text(by_title ? (count + ", by title").c_str() : (count + ", best match first").c_str());
        std::string heading;
        for (const Suggestion& s : kb_results_) {
            // browsing all categories: the list is by title, so group under category headings
            if (by_title && kb_category_.empty() && s.category != heading) {
                heading = s.category;
                ImGui::Spacing();
                ImGui::TextColored(theme::kBrand, "%s", heading.empty() ? "Other" : heading.c_str());
            }
            ImGui::Separator();
            if (draw_article_card(s)) open_article(s.id, Screen::Knowledge);
            shown += (shown.empty() ? "" : "\n") + s.title;
        }
    }
    test_hooks::expose("kb_results", shown);
    test_hooks::expose("kb_results_for", kb_results_for_);
    ImGui::EndChild();
    ImGui::EndChild();
}

}  // namespace lb::ui
