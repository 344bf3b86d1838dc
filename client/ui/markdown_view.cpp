// markdown_view.cpp — block-level Markdown (headings, lists, code, paragraphs) for ImGui.
#include "ui/markdown_view.h"

#include <imgui.h>

#include "ui/rich_text.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// "1. text" → length of "1. ", else 0
std::size_t ordered_marker(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    return i > 0 && i + 1 < line.size() && line[i] == '.' && line[i + 1] == ' ' ? i + 2 : 0;
}

}  // namespace

std::string draw_markdown(std::string_view markdown, ImFont* heading_font) {
    std::string clicked;
    std::string paragraph;
    bool in_code = false;
    auto flush_paragraph = [&] {
        if (paragraph.empty()) return;
        std::string url = draw_spans(parse_markdown_inline(paragraph));
        if (!url.empty()) clicked = url;
        paragraph.clear();
        ImGui::Spacing();
    };
    std::size_t pos = 0;
    while (pos <= markdown.size()) {
        std::size_t nl = markdown.find('\n', pos);
        std::string_view raw = markdown.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        std::string_view line = trim(raw);
        pos = nl == std::string_view::npos ? markdown.size() + 1 : nl + 1;

        if (line.rfind("```", 0) == 0) {
            flush_paragraph();
            in_code = !in_code;
            continue;
        }
        if (in_code) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.45f, 0.16f, 0.50f, 1.0f));
            ImGui::TextUnformatted(raw.data(), raw.data() + raw.size());
            ImGui::PopStyleColor();
            continue;
        }
        if (line.empty()) {
            flush_paragraph();
            continue;
        }
        if (line[0] == '#') {
            flush_paragraph();
            std::size_t level = line.find_first_not_of('#');
            std::string_view text = trim(line.substr(level == std::string_view::npos ? line.size() : level));
            ImGui::Spacing();
            if (level == 1) ImGui::PushFont(heading_font);
            ImGui::PushStyleColor(ImGuiCol_Text, level <= 2 ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : theme::kTextMuted);
            ImGui::TextWrapped("%.*s", static_cast<int>(text.size()), text.data());
            ImGui::PopStyleColor();
            if (level == 1) ImGui::PopFont();
            continue;
        }
        std::size_t marker = (line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0) ? 2 : ordered_marker(line);
        if (marker > 0) {
            flush_paragraph();
            std::string bullet = marker == 2 ? "•" : std::string(line.substr(0, marker - 1));
            ImGui::TextUnformatted(bullet.c_str());
            ImGui::SameLine(0.0f, 8.0f);
            std::string url = draw_spans(parse_markdown_inline(line.substr(marker)));
            if (!url.empty()) clicked = url;
            continue;
        }
        if (!paragraph.empty()) paragraph.push_back(' ');
        paragraph.append(line);
    }
    flush_paragraph();
    return clicked;
}

}  // namespace lb::ui
