// portal_app.h — the portal's screens: what a requester sees, drawn with Dear ImGui each frame.
//
// Holds view state only (the draft being typed, the last engine status) and talks to the engine
// through commands. Today it has one screen, "new_ticket": the product header with the
// connection indicator, and the New ticket form (title, description), whose draft the engine
// keeps on the device: restored at start, saved a moment after each edit.
// Not here: input, canvas or GPU handling (ui/platform/), any storage or network access.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/engine_client.h"
#include "ui/font_book.h"
#include "ui/text_field_map.h"

namespace lb::ui {

class PortalApp {
public:
    PortalApp(commands::EngineClient& engine, FontBook& fonts, TextFieldMap& text_fields);

    // Draws one frame between ImGui::NewFrame() and ImGui::Render(). now_s: monotonic seconds.
    void frame(double now_s);
    void on_engine_event(const commands::Event& event);
    const char* screen_name() const { return screen_ == Screen::Article ? "article" : "new_ticket"; }

private:
    void request_status(double now_s);
    void draw_header();
    void draw_connection_indicator();
    void draw_new_ticket_form(float width, bool panel_below);
    void draw_draft_state();
    void load_draft();
    void save_draft_if_due(double now_s);
    // knowledge_panel.cpp
    void suggest_if_due(double now_s);
    void draw_knowledge_panel(float width, float height);
    void open_article(const std::string& id);
    void draw_article(float width);
    void article_solved_problem();

    commands::EngineClient& engine_;
    FontBook& fonts_;
    TextFieldMap& text_fields_;
    nlohmann::json status_;              // last answer to "status"; null until the first one
    std::string engine_error_;           // last typed error from the engine, shown to people
    double next_status_poll_s_ = 0.0;
    bool status_in_flight_ = false;
    std::string title_;
    std::string description_;

    enum class DraftState { Loading, Clean, Editing, Saving, Saved, Failed };
    DraftState draft_state_ = DraftState::Loading;
    bool draft_requested_ = false;
    double last_edit_s_ = 0.0;
    double now_s_ = 0.0;
    std::string draft_error_;

    enum class Screen { NewTicket, Article };
    Screen screen_ = Screen::NewTicket;

    struct Suggestion {
        std::string id, title, title_marked, snippet, category;
    };
    std::vector<Suggestion> suggestions_;
    std::string suggested_for_;      // the text the current suggestions answer
    bool suggest_in_flight_ = false;
    std::string suggest_error_;
    nlohmann::json article_;         // the article being read (kb_article reply)
    std::string article_error_;
    std::string deflection_note_;    // "Glad that helped…" after a deflection
};

// Muted, wrapped text: hints and secondary lines.
void muted_text(const char* text);

}  // namespace lb::ui
