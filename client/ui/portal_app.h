// portal_app.h — the portal's screens: what a requester sees, drawn with Dear ImGui each frame.
//
// Holds view state only (the draft being typed, the last engine status, the tickets last listed)
// and talks to the engine through commands. Every screen has the header with the navigation and
// the connection bar (online/offline, changes waiting to send, last sync, "Sync now").
// Screens: "new_ticket" (the form, whose draft the engine keeps on the device, with category,
// impact and urgency in plain words, knowledge suggestions beside it, and Submit, which works
// offline), "article" (knowledge reader, deflection), "knowledge" (Help articles: search and
// browse by category, offline), "my_tickets" (the list with each ticket's
// honest delivery state), "ticket" (one ticket: details, delivery state, conversation, reply) and
// "sign_in" (invite code, passphrase, recovery link, or guest with name and e-mail; once signed in,
// the Account screen: passphrase for other devices, or a guest's recovery link).
// Files: portal_app.cpp (routing, header, connection bar, form fields and draft), ticket_form.cpp
// (choices, validation, submit), ticket_screens.cpp (my tickets, one ticket), ticket_resolution.cpp
// (confirm or reopen a resolved ticket, rate it), sign_in.cpp, account_screen.cpp,
// knowledge_panel.cpp (suggestions, article card and reader), knowledge_screen.cpp (Help articles).
// Not here: input, canvas or GPU handling (ui/platform/), any storage or network access.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "commands/engine_client.h"
#include "ui/font_book.h"
#include "ui/text_field_map.h"
#include "ui/wrapped_text_field.h"

namespace lb::ui {

class PortalApp {
public:
    PortalApp(commands::EngineClient& engine, FontBook& fonts, TextFieldMap& text_fields);

    // Draws one frame between ImGui::NewFrame() and ImGui::Render(). now_s: monotonic seconds.
    void frame(double now_s);
    void on_engine_event(const commands::Event& event);
    // How a web link in an article opens (the platform: a new browser tab). Unset: not at all.
    void set_link_opener(std::function<void(const std::string& url)> open) { open_link_ = std::move(open); }
    // How a file the person asked for is saved (the platform: a browser download). Unset: not at all.
    void set_downloader(std::function<void(const std::string& name, const std::string& mime, const std::string& text)> save) {
        download_ = std::move(save);
    }
    // Opened from a sign-in link: the Sign in screen with the invite code filled in.
    void start_sign_in_with_invite(std::string code);
    // Opened from a guest's recovery link: the Sign in screen offers "Recover my tickets".
    void start_recovery(std::string secret);
    // Where the portal lives (origin and path), for the recovery links it shows.
    void set_portal_address(std::string address) { portal_address_ = std::move(address); }
    const char* screen_name() const;
    // Before the page reloads (a new version): saves the draft at once instead of after the typing
    // pause; draft_settled() is true once nothing typed is left unsaved (or saving failed).
    void save_draft_now();
    bool draft_settled() const;

private:
    enum class Screen { NewTicket, Article, Knowledge, MyTickets, Ticket, SignIn, Queue, Dashboard };
    void request_status(double now_s);
    void draw_header();
    void draw_navigation();
    void draw_connection_indicator();
    void draw_connection_bar();
    void draw_new_ticket_form(float width, bool panel_below);
    void draw_draft_state();
    void load_draft();
    void save_draft_if_due(double now_s);
    // ticket_form.cpp
    void load_categories();
    void load_sites();
    void suggest_category_if_due(double now_s);
    void draw_ticket_choices(float field_width);
    void draw_site_and_contact(float field_width);
    void note_form_edit();  // a choice changed: the draft is due to be saved
    void reset_form();      // after a submit: an empty form with the desk's defaults
    // The form's choices as draft fields (texts) and back: a reload or a crash keeps them too.
    void add_choices_to_draft(nlohmann::json& fields) const;
    void restore_choices_from_draft(const nlohmann::json& fields);
    void draw_submit();
    void submit_ticket();
    bool signed_in_as_guest() const;
    bool online() const;  // the server answered the last probe
    // ticket_screens.cpp
    void refresh_tickets_if_due();
    void draw_my_tickets(float width);
    void open_ticket(const std::string& id, Screen back_to = Screen::MyTickets);
    void refresh_open_ticket_if_due();
    void draw_ticket(float width);
    void draw_ticket_facts(const nlohmann::json& ticket);         // status, targets, delivery, work
    void draw_ticket_conversation(const nlohmann::json& ticket);  // description, replies, reply box
    void send_reply();
    // ticket_work.cpp (the help desk)
    void draw_ticket_work(const nlohmann::json& ticket);
    void draw_ticket_details(const nlohmann::json& ticket);
    std::string person_name(const std::string& user_id) const;  // a colleague on the open ticket
    void draw_reply_kind();
    void change_ticket(nlohmann::json fields, const std::string& reason, std::string done_words);
    void expose_tickets();
    // ticket_history.cpp (the help desk)
    void draw_offline_races(const nlohmann::json& history);
    void draw_ticket_history(const nlohmann::json& history);
    std::string change_value_words(const std::string& field, const nlohmann::json& value,
                                   const std::string& value_name) const;
    // ticket_resolution.cpp
    void draw_resolution(const nlohmann::json& ticket);
    void update_open_ticket(nlohmann::json fields, std::string saved_message);
    void reset_resolution_answers();
    // sign_in.cpp
    void draw_sign_in(float width);
    void draw_passphrase_sign_in(float field_width);
    void draw_invite_and_guest(float field_width);
    void draw_sign_in_problem();
    // account_screen.cpp (the Sign in tab once signed in)
    void draw_account(float width);
    void draw_passphrase_form(float field_width, const nlohmann::json& backup);
    void draw_recovery_link(float field_width);
    void enroll(nlohmann::json args);
    // knowledge_panel.cpp
    void suggest_if_due(double now_s);
    void draw_knowledge_panel(float width, float height);
    struct Suggestion {  // one article in a list: suggestions, search results
        std::string id, title, title_marked, snippet, category;
    };
    std::vector<Suggestion> read_article_hits(const nlohmann::json& hits);
    bool draw_article_card(const Suggestion& s);
    // queue_screen.cpp (technicians)
    bool help_desk_role() const;
    std::string category_label(const std::string& id) const;  // the catalogue's words for an id
    void refresh_queue_if_due(double now_s);
    void draw_queue(float width);
    void draw_queue_filters();
    void draw_queue_table();
    void export_queue_csv();
    nlohmann::json queue_request() const;
    // dashboard_screen.cpp (technicians)
    void refresh_dashboard_if_due(double now_s);
    void draw_dashboard(float width);
    void open_article(const std::string& id, Screen back_to);
    void draw_article(float width);
    void article_solved_problem();
    // knowledge_screen.cpp
    void load_kb_categories();
    void kb_search_if_due(double now_s);
    void draw_knowledge_screen(float width);
    void draw_kb_category_filter();

    commands::EngineClient& engine_;
    FontBook& fonts_;
    TextFieldMap& text_fields_;
    nlohmann::json status_;              // last answer to "status"; null until the first one
    std::string engine_error_;           // last typed error from the engine, shown to people
    std::string engine_mode_;            // "owner" or "attached" (to another tab's engine)
    double next_status_poll_s_ = 0.0;
    bool status_in_flight_ = false;
    std::string title_;
    std::string description_;
    WrappedTextField description_field_;  // wraps long lines as the person types

    enum class DraftState { Loading, Clean, Editing, Saving, Saved, Failed };
    DraftState draft_state_ = DraftState::Loading;
    bool draft_requested_ = false;
    double last_edit_s_ = 0.0;
    double now_s_ = 0.0;
    std::string draft_error_;

    Screen screen_ = Screen::NewTicket;
    Screen ticket_back_to_ = Screen::MyTickets;  // where the ticket's "<" button goes

    // the form's choices (ticket_form.cpp)
    struct CategoryChoice {
        std::string id, label;
    };
    std::vector<CategoryChoice> categories_;
    bool categories_requested_ = false;
    std::string category_;                 // the chosen category id ("" until one is known)
    bool category_picked_ = false;         // chosen by the person: no more automatic suggestions
    std::vector<std::string> category_matched_;  // the words the suggestion came from
    std::string category_asked_for_;
    bool category_in_flight_ = false;
    int impact_ = 0;                       // index into the plain-word choices: "Just me"
    int urgency_ = 1;                      // "It blocks my work"
    std::string asset_tag_;                // optional; not for guests
    struct SiteChoice {
        std::string id, time_zone;
    };
    std::vector<SiteChoice> sites_;        // the desk's sites (desk settings); empty: none to pick
    bool sites_requested_ = false;
    std::string site_;                     // the chosen site id ("" = none chosen: the desk's default)
    std::string default_site_;
    int contact_ = 0;                      // index into the contact choices: "Here in the portal"
    std::string contact_detail_;           // the number to call or the address to write to
    std::string form_error_;               // validation or the engine's refusal
    bool submitting_ = false;

    // tickets (ticket_screens.cpp)
    nlohmann::json tickets_;               // list_tickets rows; null until the first answer
    int tickets_unread_ = 0;               // of them, with news since last opened
    std::int64_t tickets_total_ = 0;       // every ticket the list matches (it holds the first kListLimit)
    bool tickets_dirty_ = true;
    bool tickets_in_flight_ = false;
    std::string tickets_query_;
    std::string open_ticket_id_;
    nlohmann::json ticket_;                // get_ticket answer for the open ticket
    bool ticket_dirty_ = false;
    bool history_open_ = false;               // the help desk's History table on a ticket
    bool ticket_in_flight_ = false;
    std::string ticket_error_;
    std::string conversation_shown_;       // "comments/status" in view, to scroll to the newest
    std::string reply_;
    bool reply_sending_ = false;
    std::string reply_error_;
    std::string reply_kind_ = "public_reply";  // the help desk: public_reply|internal_note|request_for_information
    bool work_in_flight_ = false;
    std::string work_message_;
    bool resolving_ = false;
    std::string resolution_note_;
    bool changing_priority_ = false;
    std::string new_priority_, priority_reason_;
    bool editing_details_ = false;         // the category, site and assignee choices are open
    int rating_choice_ = 0;                // 1..5 chosen on screen, 0: none yet
    std::string rating_comment_;
    std::string resolution_message_;       // "Thanks — the ticket is closed." / the engine's refusal
    std::string resolution_message_status_;  // the status the answer set ("" for a rating)
    bool resolution_sending_ = false;

    // sign-in (sign_in.cpp)
    std::string invite_code_;
    std::string guest_name_;
    std::string guest_email_;
    std::string sign_in_error_;
    bool sign_in_sending_ = false;
    std::string sign_in_name_;
    std::string sign_in_passphrase_;       // wiped once sent
    bool show_passphrase_sign_in_ = false;
    std::string recovery_from_link_;       // a recovery link's secret, until used
    // account (account_screen.cpp)
    std::string account_name_;
    std::string account_passphrase_, account_repeat_;  // wiped once sent
    std::string account_message_;
    bool account_sending_ = false;
    bool recovery_requested_ = false;
    bool recovery_copied_ = false;
    std::string recovery_secret_, recovery_state_;
    std::string portal_address_;

    std::vector<Suggestion> suggestions_;
    std::string suggested_for_;      // the text the current suggestions answer
    bool suggest_in_flight_ = false;
    std::string suggest_error_;
    nlohmann::json article_;         // the article being read (kb_article reply)
    std::string article_error_;
    Screen article_back_to_ = Screen::NewTicket;  // where "Back" goes: the form or Help articles
    std::function<void(const std::string&)> open_link_;
    std::string deflection_note_;    // "Glad that helped…" after a deflection from the form

    // Help articles (knowledge_screen.cpp)
    std::string kb_query_;
    std::string kb_category_;                 // "" = every category
    std::vector<std::string> kb_categories_;
    bool kb_categories_requested_ = false;
    std::vector<Suggestion> kb_results_;
    std::string kb_results_for_;              // query + '\x1f' + category the results answer
    bool kb_results_loaded_ = false;
    bool kb_results_browse_ = false;          // the results answer no search words: by title
    bool kb_search_in_flight_ = false;
    double kb_last_edit_s_ = 0.0;
    std::string kb_error_;
    std::string browse_note_;                 // "Glad that helped" after a deflection while browsing

    // the technician's queue (queue_screen.cpp)
    nlohmann::json queue_;                    // the queue answer; null until the first one
    bool queue_dirty_ = true;
    bool queue_in_flight_ = false;
    double queue_last_edit_s_ = 0.0;          // the search box: asked again after a typing pause
    std::string queue_view_ = "open";
    std::string queue_site_, queue_category_, queue_query_;
    std::string queue_sort_ = "due";
    bool queue_descending_ = false;
    std::int64_t queue_window_start_ = 0;     // the first row of the window asked for
    std::string queue_message_;               // "Exported 42 tickets" or an error
    std::string last_queue_csv_;              // what the last export saved
    // the technician's dashboard (dashboard_screen.cpp)
    nlohmann::json dashboard_;                // the dashboard answer; null until the first one
    bool dashboard_dirty_ = true;
    bool dashboard_in_flight_ = false;
    double dashboard_asked_s_ = 0.0;          // asked again every minute: SLA marks move with the clock
    std::string dashboard_message_;
    std::function<void(const std::string&, const std::string&, const std::string&)> download_;
};

// Muted, wrapped text: hints and secondary lines.
void muted_text(const char* text);
// Keeps the next button (labelled `label`) on the current line when it fits before `right`
// (screen x), else lets it start a new one: rows of buttons that wrap on a narrow window.
void same_line_if_fits(const char* label, float right);
void warning_text(const std::string& text);  // wrapped, in the warning colour
void wipe_secret(std::string& secret);       // zeroes a typed passphrase, then empties it
std::string site_words(const std::string& site);  // "new_york" → "New York"
std::string when(const nlohmann::json& ms);       // Unix ms as people read it: "14:05" today, else "3 Dec 14:05"
std::string duration_words(std::int64_t ms);      // a length of time, sign ignored: "40 min", "2 h 5 min", "3 d 4 h"
// "P1 Critical" … "P5 Planning" for the engine's priority names; `unknown` for anything else.
std::string priority_words(const std::string& priority, const char* unknown = "Not prioritised yet");
// A ticket's delivery state in words ("Saved on this device", "Sent — waiting for the help desk",
// "Received by the help desk", "Not accepted: …") from its engine `sync` object, and its colour.
// Offline, a sent-but-unconfirmed change reads as kept on the device (it is sent again).
std::string delivery_text(const nlohmann::json& sync, bool online);
ImVec4 delivery_colour(const nlohmann::json& sync, bool online);

}  // namespace lb::ui
