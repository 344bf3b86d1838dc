// knowledge_panel.cpp — knowledge-base suggestions beside the New ticket form, the article card
// (also used by the Help articles screen, knowledge_screen.cpp), the article reader, and
// deflection ("This solved my problem" / "I still need help").
//
// Suggestions follow the draft: a moment after the person stops typing (and only once there are
// at least kMinSuggestChars characters) the engine's `suggest` command searches the articles on
// the device — it works offline. Matched words are highlighted.
#include <imgui.h>

#include "ui/json_read.h"
#include "ui/markdown_view.h"
#include "ui/portal_app.h"
#include "ui/rich_text.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr std::size_t kMinSuggestChars = 3;
constexpr double kSuggestDelaySeconds = 0.15;  // debounce after the last keystroke
constexpr int kSuggestionCount = 5;

}  // namespace

void PortalApp::suggest_if_due(double now_s) {
    std::string query = title_ + "\n" + description_;
    if (suggest_in_flight_ || query == suggested_for_ || now_s - last_edit_s_ < kSuggestDelaySeconds) return;
    if (title_.size() + description_.size() < kMinSuggestChars) {
        suggestions_.clear();
        suggested_for_ = query;
        return;
    }
    suggest_in_flight_ = true;
    engine_.send("suggest", {{"text", query}, {"limit", kSuggestionCount}}, [this, query](const commands::Response& r) {
        suggest_in_flight_ = false;
        suggested_for_ = query;
        if (!r.ok) {
            suggest_error_ = r.error.message;
            return;
        }
        suggest_error_.clear();
        suggestions_ = read_article_hits(field(r.result, "hits"));
    });
}

// The hits of a `suggest` or `kb_search` answer, their text noted for the glyph atlas.
std::vector<PortalApp::Suggestion> PortalApp::read_article_hits(const nlohmann::json& hits) {
    std::vector<Suggestion> out;
    if (!hits.is_array()) return out;
    for (const nlohmann::json& hit : hits) {
        Suggestion s{text_of(hit, "id", ""), text_of(hit, "title", ""), text_of(hit, "title_marked", ""),
                     text_of(hit, "snippet", ""), text_of(hit, "category", "")};
        if (s.id.empty()) continue;
        if (s.title_marked.empty()) s.title_marked = s.title;
        fonts_.note_text(s.title);
        fonts_.note_text(s.snippet);
        fonts_.note_text(s.category);
        out.push_back(std::move(s));
    }
    return out;
}

void PortalApp::draw_knowledge_panel(float width, float height) {
    ImGui::BeginChild("Suggested articles", ImVec2(width, height), true);
    ImGui::TextUnformatted("Suggested articles");
    std::string shown;
    if (suggestions_.empty()) {
        muted_text(title_.size() + description_.size() < kMinSuggestChars
                       ? "Start typing and articles that may solve your problem appear here."
                       : "No article matches yet. Add a few words about what you see.");
    }
    for (const Suggestion& s : suggestions_) {
        ImGui::Separator();
        if (draw_article_card(s)) open_article(s.id, Screen::NewTicket);
        shown += (shown.empty() ? "" : "\n") + s.title;
    }
    if (!suggest_error_.empty()) ImGui::TextColored(theme::kOffline, "Search failed: %s", suggest_error_.c_str());
    test_hooks::expose("suggestions", shown);
    test_hooks::expose("suggestions_for", suggested_for_);  // the draft text they answer
    ImGui::EndChild();
}

// One article as a card: its title and snippet with the matched words highlighted. The whole card
// is one button, labelled with the article's title; true when it was clicked.
bool PortalApp::draw_article_card(const Suggestion& s) {
    ImGui::PushID(s.id.c_str());
    ImVec2 start = ImGui::GetCursorScreenPos();
    draw_spans(parse_highlights(s.title_marked));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextMuted);
    draw_spans(parse_highlights(s.snippet));
    ImGui::PopStyleColor();
    ImVec2 end = ImGui::GetItemRectMax();
    ImGui::SetCursorScreenPos(start);
    std::string label = s.title + "##" + s.id;
    bool clicked = ImGui::InvisibleButton(label.c_str(), ImVec2(ImGui::GetContentRegionAvail().x, end.y - start.y));
    test_hooks::label_last_item(s.title);
    if (ImGui::IsItemHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                            ImGui::GetColorU32(theme::kBrand), 4.0f);
    }
    ImGui::PopID();
    return clicked;
}

void PortalApp::open_article(const std::string& id, Screen back_to) {
    article_back_to_ = back_to;
    screen_ = Screen::Article;
    article_ = nlohmann::json();
    article_error_.clear();
    engine_.send("kb_article", {{"id", id}}, [this](const commands::Response& r) {
        if (!r.ok) {
            article_error_ = r.error.message;
            return;
        }
        article_ = r.result;
        fonts_.note_text(text_of(article_, "title", ""));
        fonts_.note_text(text_of(article_, "markdown", ""));
    });
}

// "This solved my problem". Read from the New ticket form's suggestions, the draft it was
// written for is discarded: no ticket needed. Read while browsing Help articles, the draft (if
// any) is left alone: it may be about something else.
void PortalApp::article_solved_problem() {
    std::string article_id = text_of(article_, "id", "");
    const bool from_form = article_back_to_ == Screen::NewTicket;
    engine_.send("record_deflection", {{"article_id", article_id}, {"draft_title", from_form ? title_ : ""}},
                 [this, from_form](const commands::Response& r) {
                     if (!r.ok) {
                         article_error_ = "could not record that: " + r.error.message;
                         return;
                     }
                     if (!from_form) {
                         browse_note_ = "Glad that helped. Thanks for letting us know.";
                         screen_ = Screen::Knowledge;
                         return;
                     }
                     engine_.send("discard_draft", {{"form", "new_ticket"}}, [](const commands::Response&) {});
                     title_.clear();
                     description_.clear();
                     suggestions_.clear();
                     suggested_for_ = "\n";
                     draft_state_ = DraftState::Clean;
                     deflection_note_ = "Glad that helped. Your draft was discarded; no ticket was filed.";
                     screen_ = Screen::NewTicket;
                 });
}

void PortalApp::draw_article(float width) {
    ImGui::BeginChild("Article", ImVec2(width, 0.0f), true);
    const bool from_form = article_back_to_ == Screen::NewTicket;
    if (ImGui::Button(from_form ? "Back to my ticket" : "Back to help articles")) screen_ = article_back_to_;
    ImGui::Spacing();
    if (!article_error_.empty()) ImGui::TextColored(theme::kOffline, "%s", article_error_.c_str());
    if (article_.is_object()) {
        std::string title = text_of(article_, "title", "");
        test_hooks::expose("article", title);
        ImGui::PushFont(fonts_.heading());
        ImGui::TextWrapped("%s", title.c_str());
        ImGui::PopFont();
        std::string category = text_of(article_, "category", "");
        if (!category.empty()) muted_text(category.c_str());
        // the answer comes first, so it is never scrolled out of reach
        ImGui::TextUnformatted("Did this article solve your problem?");
        if (ImGui::Button("This solved my problem")) article_solved_problem();
        // side by side where they fit, else one under the other (a phone)
        const char* still = "I still need help";
        same_line_if_fits(still, ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x);
        if (ImGui::Button(still)) screen_ = Screen::NewTicket;  // to the draft, untouched
        ImGui::Separator();
        ImGui::BeginChild("Article text", ImVec2(0.0f, 0.0f), false);
        const std::string link = draw_markdown(text_of(article_, "markdown", ""), fonts_.heading());
        // another article ("kb:ID") opens here; a web or mail link in a new tab, this one kept
        if (link.rfind("kb:", 0) == 0) open_article(link.substr(3), article_back_to_);
        else if ((link.rfind("https://", 0) == 0 || link.rfind("http://", 0) == 0 || link.rfind("mailto:", 0) == 0) && open_link_)
            open_link_(link);
        ImGui::EndChild();
    } else if (article_error_.empty()) {
        muted_text("Opening the article…");
    }
    ImGui::EndChild();
}

}  // namespace lb::ui
