// rich_text.cpp — inline markup parsing and word-by-word wrapped drawing.
#include "ui/rich_text.h"

#include <imgui.h>

#include "ui/theme.h"

namespace lb::ui {
namespace {

void push(std::vector<Span>& out, std::string text, SpanStyle style, std::string url = {}) {
    if (!text.empty()) out.push_back({std::move(text), style, std::move(url)});
}

ImVec4 colour_of(SpanStyle style) {
    switch (style) {
    case SpanStyle::Highlight: return theme::kBrand;
    case SpanStyle::Strong: return ImVec4(0.05f, 0.05f, 0.07f, 1.0f);
    case SpanStyle::Emphasis: return ImVec4(0.25f, 0.27f, 0.32f, 1.0f);
    case SpanStyle::Code: return ImVec4(0.45f, 0.16f, 0.50f, 1.0f);
    case SpanStyle::Link: return ImVec4(0.10f, 0.35f, 0.75f, 1.0f);
    case SpanStyle::Plain: break;
    }
    return ImGui::GetStyleColorVec4(ImGuiCol_Text);
}

}  // namespace

std::vector<Span> parse_highlights(std::string_view text) {
    std::vector<Span> out;
    std::string current;
    SpanStyle style = SpanStyle::Plain;
    for (char c : text) {
        if (c == '\x02' || c == '\x03') {
            push(out, std::move(current), style);
            current.clear();
            style = c == '\x02' ? SpanStyle::Highlight : SpanStyle::Plain;
        } else {
            current.push_back(c);
        }
    }
    push(out, std::move(current), style);
    return out;
}

std::vector<Span> parse_markdown_inline(std::string_view text) {
    std::vector<Span> out;
    std::string plain;
    std::size_t i = 0;
    auto closing = [&](std::string_view marker, std::size_t from) { return text.find(marker, from); };
    while (i < text.size()) {
        std::string_view rest = text.substr(i);
        std::size_t end = std::string_view::npos;
        if (rest.rfind("**", 0) == 0 && (end = closing("**", i + 2)) != std::string_view::npos) {
            push(out, std::move(plain), SpanStyle::Plain);
            plain.clear();
            push(out, std::string(text.substr(i + 2, end - i - 2)), SpanStyle::Strong);
            i = end + 2;
        } else if ((rest[0] == '*' || rest[0] == '_') && rest.size() > 1 && rest[1] != ' ' &&
                   (end = closing(rest.substr(0, 1), i + 1)) != std::string_view::npos) {
            push(out, std::move(plain), SpanStyle::Plain);
            plain.clear();
            push(out, std::string(text.substr(i + 1, end - i - 1)), SpanStyle::Emphasis);
            i = end + 1;
        } else if (rest[0] == '`' && (end = closing("`", i + 1)) != std::string_view::npos) {
            push(out, std::move(plain), SpanStyle::Plain);
            plain.clear();
            push(out, std::string(text.substr(i + 1, end - i - 1)), SpanStyle::Code);
            i = end + 1;
        } else if (rest[0] == '[') {
            std::size_t close = text.find("](", i);
            std::size_t paren = close == std::string_view::npos ? close : text.find(')', close);
            if (close != std::string_view::npos && paren != std::string_view::npos) {
                push(out, std::move(plain), SpanStyle::Plain);
                plain.clear();
                push(out, std::string(text.substr(i + 1, close - i - 1)), SpanStyle::Link,
                     std::string(text.substr(close + 2, paren - close - 2)));
                i = paren + 1;
            } else {
                plain.push_back(text[i++]);
            }
        } else {
            plain.push_back(text[i++]);
        }
    }
    push(out, std::move(plain), SpanStyle::Plain);
    return out;
}

std::string draw_spans(const std::vector<Span>& spans) {
    std::string clicked;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    const float left = ImGui::GetCursorScreenPos().x;
    const float space = ImGui::CalcTextSize(" ").x;
    bool first_on_line = true;
    ImGui::BeginGroup();
    for (std::size_t s = 0; s < spans.size(); ++s) {
        const Span& span = spans[s];
        std::size_t pos = 0;
        while (pos <= span.text.size()) {
            std::size_t next = span.text.find(' ', pos);
            std::string_view word = std::string_view(span.text).substr(pos, next == std::string::npos ? std::string::npos : next - pos);
            bool space_before = pos > 0 || (s > 0 && !spans[s - 1].text.empty() && spans[s - 1].text.back() == ' ');
            if (!word.empty()) {
                float width = ImGui::CalcTextSize(word.data(), word.data() + word.size()).x;
                if (!first_on_line) {
                    float x = ImGui::GetItemRectMax().x + (space_before ? space : 0.0f);
                    if (x + width > right) {
                        first_on_line = true;  // wrap: start a new line at the left edge
                    } else {
                        ImGui::SameLine(0.0f, space_before ? space : 0.0f);
                    }
                }
                if (first_on_line) ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y));
                ImGui::PushStyleColor(ImGuiCol_Text, colour_of(span.style));
                ImGui::TextUnformatted(word.data(), word.data() + word.size());
                ImGui::PopStyleColor();
                if (span.style == SpanStyle::Highlight || span.style == SpanStyle::Link) {
                    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
                    ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, b.y), b, ImGui::GetColorU32(colour_of(span.style)));
                }
                if (span.style == SpanStyle::Link) {
                    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                    if (ImGui::IsItemClicked()) clicked = span.url;
                }
                first_on_line = false;
            }
            if (next == std::string::npos) break;
            pos = next + 1;
        }
    }
    ImGui::EndGroup();
    return clicked;
}

}  // namespace lb::ui
