// browser_main.cpp — the ui module's entry point: WebGL2 context, Dear ImGui, the frame loop.
//
// Wires the platform pieces (canvas, input, engine Worker, fonts) to the platform-free UI
// (PortalApp, FontBook, InputQueue) and renders with Dear ImGui's OpenGL3 backend on WebGL2.
// One frame: size the canvas → grow/rebuild the font atlas → feed queued input → draw → render.
#include <chrono>
#include <cstdlib>
#include <memory>

#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "commands/engine_client.h"
#include "ui/font_book.h"
#include "ui/input_queue.h"
#include "ui/platform/browser_canvas.h"
#include "ui/platform/browser_engine_channel.h"
#include "ui/platform/browser_fonts.h"
#include "ui/platform/browser_input.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/text_field_map.h"
#include "ui/theme.h"

namespace {

constexpr const char* kCanvas = "#canvas";
constexpr const char* kPrimaryFontUrl = "fonts/lifebuoy-sans.ttf";
constexpr const char* kFallbackFontUrl = "fonts/lifebuoy-cjk.ttf";
constexpr const char* kEngineWorkerUrl = "engine-worker.js";

struct UiState {
    lb::ui::FontBook fonts;
    lb::ui::InputQueue input;
    lb::ui::TextFieldMap text_fields;
    std::unique_ptr<lb::commands::EngineClient> engine;
    std::unique_ptr<lb::ui::PortalApp> app;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double last_frame_s = 0.0;
    bool renderer_ready = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void frame(void* arg) {
    UiState& ui = *static_cast<UiState*>(arg);
    lb::ui::platform::CanvasMetrics canvas = lb::ui::platform::sync_canvas(kCanvas);
    glViewport(0, 0, canvas.pixel_width, canvas.pixel_height);
    const ImVec4& bg = lb::ui::theme::kBackground;
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (!ui.fonts.has_primary()) return;  // the first frames wait for the font

    if (ui.fonts.wants_fallback()) {
        ui.fonts.mark_fallback_requested();
        lb::ui::platform::fetch_font(kFallbackFontUrl, [&ui](std::vector<std::uint8_t> bytes) {
            if (!bytes.empty()) ui.fonts.set_fallback_font(std::move(bytes));
        });
    }
    if (ui.fonts.rebuild_if_needed(canvas.pixel_ratio) && ui.renderer_ready) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }

    ImGuiIO& io = ImGui::GetIO();
    double now = seconds_since(ui.started);
    io.DeltaTime = static_cast<float>(now > ui.last_frame_s ? now - ui.last_frame_s : 1.0 / 60.0);
    ui.last_frame_s = now;
    io.DisplaySize = ImVec2(canvas.css_width, canvas.css_height);
    io.DisplayFramebufferScale = ImVec2(canvas.pixel_ratio, canvas.pixel_ratio);
    ui.input.apply(io);

    ImGui_ImplOpenGL3_NewFrame();
    ui.renderer_ready = true;
    lb::ui::test_hooks::begin_frame();
    ImGui::NewFrame();
    ui.app->frame(now);
    ImGui::Render();
    lb::ui::test_hooks::end_frame(ui.app->screen_name());
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    lb::ui::platform::after_frame(io);
}

bool create_webgl2_context() {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = EM_FALSE;
    attrs.antialias = EM_FALSE;
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_FALSE;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context(kCanvas, &attrs);
    return ctx > 0 && emscripten_webgl_make_context_current(ctx) == EMSCRIPTEN_RESULT_SUCCESS;
}

EM_JS(void, lb_js_report_fatal, (const char* message), {
    if (Module.onFatal) Module.onFatal(UTF8ToString(message));
});

// The invite code of a sign-in link (http://HOST/#invite=CODE), or "". The fragment never reaches
// the server; it is cleared from the address bar so a shared screenshot or bookmark does not
// carry it. The caller frees the copy.
EM_JS(char*, lb_js_take_invite_from_link, (), {
    const hash = location.hash || "";
    const prefix = "#invite=";
    const code = hash.startsWith(prefix) ? hash.slice(prefix.length) : "";
    if (code.length == 0 || code.length > 64 || !/^[A-Za-z0-9-]+/.test(code) || /[^A-Za-z0-9-]/.test(code)) return 0;
    history.replaceState(null, "", location.pathname + location.search);
    return allocateUTF8(code);
});

// A guest's recovery secret from a recovery link (http://HOST/#recover=SECRET), or "". Like an
// invite, the fragment never reaches a server and is cleared from the address bar at once.
EM_JS(char*, lb_js_take_recovery_from_link, (), {
    const hash = location.hash || "";
    const prefix = "#recover=";
    const secret = hash.startsWith(prefix) ? hash.slice(prefix.length) : "";
    if (secret.length != 43 || /[^A-Za-z0-9_-]/.test(secret)) return 0;
    history.replaceState(null, "", location.pathname + location.search);
    return allocateUTF8(secret);
});

// Where the portal lives (origin and path, no fragment): the base of the links it shows.
EM_JS(char*, lb_js_portal_address, (), {
    return allocateUTF8(location.origin + location.pathname);
});

// A link from an article, in a new tab that can not reach back into the portal.
EM_JS(void, lb_js_open_link, (const char* url), {
    window.open(UTF8ToString(url), "_blank", "noopener,noreferrer");
});

// A file the person saves (the queue as CSV): a Blob behind a download link, clicked once.
EM_JS(void, lb_js_download_text, (const char* name, const char* mime, const char* text), {
    const blob = new Blob([UTF8ToString(text)], {type: UTF8ToString(mime)});
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = UTF8ToString(name);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
});

UiState* g_ui = nullptr;  // the page's one UI, for the exports below

}  // namespace

// Called by index.html before it reloads the page for a new version (so a draft is never lost).
extern "C" EMSCRIPTEN_KEEPALIVE void lb_ui_save_draft_now() {
    if (g_ui && g_ui->app) g_ui->app->save_draft_now();
}
extern "C" EMSCRIPTEN_KEEPALIVE int lb_ui_draft_settled() {
    return !g_ui || !g_ui->app || g_ui->app->draft_settled() ? 1 : 0;
}

int main() {
    if (!create_webgl2_context()) {
        lb_js_report_fatal("This browser cannot draw the portal (WebGL2 is unavailable).");
        return 1;
    }
    auto* ui = new UiState();  // lives for the page's lifetime
    g_ui = ui;
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.BackendPlatformName = "lifebuoy_browser";
    lb::ui::theme::apply(ImGui::GetStyle());
    lb::ui::InputQueue::configure(io);
    lb::ui::platform::install_input(kCanvas, ui->input, ui->text_fields, io);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    ui->engine = std::make_unique<lb::commands::EngineClient>(
        [](const std::string& request) { lb::ui::platform::post_to_engine(request); },
        [ui](const lb::commands::Event& event) { ui->app->on_engine_event(event); });
    ui->app = std::make_unique<lb::ui::PortalApp>(*ui->engine, ui->fonts, ui->text_fields);
    ui->app->set_link_opener([](const std::string& url) { lb_js_open_link(url.c_str()); });
    ui->app->set_downloader([](const std::string& name, const std::string& mime, const std::string& text) {
        lb_js_download_text(name.c_str(), mime.c_str(), text.c_str());
    });
    if (char* invite = lb_js_take_invite_from_link()) {
        ui->app->start_sign_in_with_invite(invite);
        free(invite);
    }
    if (char* secret = lb_js_take_recovery_from_link()) {
        ui->app->start_recovery(secret);
        for (char* p = secret; *p; ++p) *p = 0;
        free(secret);
    }
    if (char* address = lb_js_portal_address()) {
        ui->app->set_portal_address(address);
        free(address);
    }
    lb::ui::platform::start_engine_worker(kEngineWorkerUrl, [ui](const std::string& message) {
        ui->fonts.note_text(message);  // names and text from the engine may need new glyphs
        ui->engine->on_message(message);
    });
    lb::ui::platform::fetch_font(kPrimaryFontUrl, [ui](std::vector<std::uint8_t> bytes) {
        if (bytes.empty()) lb_js_report_fatal("The portal's font could not be loaded.");
        else ui->fonts.set_primary_font(std::move(bytes));
    });
    emscripten_set_main_loop_arg(frame, ui, 0, EM_FALSE);
    return 0;
}
