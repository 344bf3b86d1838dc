// soft_wrap.h — word wrapping for a multi-line text field that Dear ImGui 1.86 draws unwrapped.
//
// The field edits a *display* copy of the text with a '\n' inserted at each wrap point (a soft
// break); the real text never contains them. After each edit the field hands the display text back
// here: the edit is found by comparing it with the display before (common prefix and suffix), the
// soft breaks outside the edit are removed, and the real text is wrapped again for the next frame.
// Deleting a soft break itself (Backspace at the start of a wrapped line, Delete at the end of
// one) deletes the real character beyond it instead, as in any editor that wraps.
// Pure logic, no ImGui: the caller says where a line must wrap (ImFont::CalcWordWrapPositionA).
// Limits: one contiguous edit per call (ImGui reports every frame's edits, and a frame holds one
// person's keystrokes at one place); undo must be off in the field (it would bring back old breaks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lb::ui::soft_wrap {

struct Wrapped {
    std::string display;               // the text with a '\n' at each wrap point
    std::vector<std::size_t> breaks;   // positions in `display` of those inserted '\n's, ascending
};

// How many bytes of `line` (text without '\n') go on the first visual line; the rest wraps.
// Returning line.size() (or more) means it all fits.
using WrapAt = std::function<std::size_t(std::string_view line)>;

inline std::size_t utf8_char_length(std::string_view s, std::size_t at) {
    std::size_t n = 1;
    while (at + n < s.size() && (static_cast<unsigned char>(s[at + n]) & 0xC0) == 0x80) ++n;
    return n;
}

inline Wrapped wrap(std::string_view text, const WrapAt& wrap_at) {
    Wrapped out;
    out.display.reserve(text.size() + text.size() / 32);
    std::size_t line_start = 0;
    while (line_start <= text.size()) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = text.size();
        std::string_view rest = text.substr(line_start, line_end - line_start);
        while (!rest.empty()) {
            std::size_t take = std::min(wrap_at(rest), rest.size());
            if (take == 0) take = utf8_char_length(rest, 0);  // at least one character per line
            while (take < rest.size() && (static_cast<unsigned char>(rest[take]) & 0xC0) == 0x80) ++take;
            while (take < rest.size() && rest[take] == ' ') ++take;  // spaces end a line, never start one
            out.display.append(rest.substr(0, take));
            rest.remove_prefix(take);
            if (rest.empty()) break;
            out.breaks.push_back(out.display.size());
            out.display.push_back('\n');
        }
        if (line_end == text.size()) break;
        out.display.push_back('\n');  // the person's own line break
        line_start = line_end + 1;
    }
    return out;
}

// The real text of a wrapped display.
inline std::string unwrap(std::string_view display, const std::vector<std::size_t>& breaks) {
    std::string out;
    out.reserve(display.size());
    std::size_t from = 0;
    for (std::size_t b : breaks) {
        out.append(display.substr(from, b - from));
        from = b + 1;
    }
    out.append(display.substr(std::min(from, display.size())));
    return out;
}

// Display position → real position (soft breaks before it do not count).
inline std::size_t to_real(const std::vector<std::size_t>& breaks, std::size_t display_pos) {
    return display_pos - static_cast<std::size_t>(std::lower_bound(breaks.begin(), breaks.end(), display_pos) - breaks.begin());
}

// Real position → display position; at a wrap point, the start of the next visual line.
inline std::size_t to_display(const std::vector<std::size_t>& breaks, std::size_t real_pos) {
    std::size_t pos = real_pos;
    for (std::size_t i = 0; i < breaks.size() && breaks[i] - i <= real_pos; ++i) ++pos;
    return pos;
}

struct Edited {
    std::string text;      // the real text after the edit
    std::size_t cursor;    // the cursor in it
};

// `before`: the display the field showed; `after`, `after_cursor`: the field's buffer and cursor
// after the person's edit. `backspace`: the key that made the edit was Backspace (only matters
// when the edit removed nothing but a soft break).
inline Edited apply_edit(const Wrapped& before, std::string_view after, std::size_t after_cursor, bool backspace) {
    const std::string_view old = before.display;
    std::size_t prefix = 0;
    while (prefix < old.size() && prefix < after.size() && old[prefix] == after[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < old.size() - prefix && suffix < after.size() - prefix &&
           old[old.size() - 1 - suffix] == after[after.size() - 1 - suffix])
        ++suffix;
    const std::size_t removed_end = old.size() - suffix;                 // [prefix, removed_end) in old
    const std::string_view inserted = after.substr(prefix, after.size() - suffix - prefix);
    const std::string real = unwrap(old, before.breaks);
    const std::size_t real_from = to_real(before.breaks, prefix);
    const std::size_t real_to = to_real(before.breaks, removed_end);

    Edited out;
    if (inserted.empty() && real_from == real_to && removed_end > prefix) {
        // only soft breaks went: delete the real character on the far side of the break instead
        std::size_t at = real_from;
        if (backspace && at > 0) {
            std::size_t start = at - 1;
            while (start > 0 && (static_cast<unsigned char>(real[start]) & 0xC0) == 0x80) --start;
            out.text = real.substr(0, start) + real.substr(at);
            out.cursor = start;
        } else if (!backspace && at < real.size()) {
            out.text = real.substr(0, at) + real.substr(at + utf8_char_length(real, at));
            out.cursor = at;
        } else {
            out.text = real;
            out.cursor = at;
        }
        return out;
    }
    out.text = real.substr(0, real_from);
    out.text.append(inserted);
    out.text.append(real.substr(real_to));
    // the cursor: soft breaks left of it in the edited display were those before the edit
    const std::size_t breaks_before_edit =
        static_cast<std::size_t>(std::lower_bound(before.breaks.begin(), before.breaks.end(), prefix) - before.breaks.begin());
    std::size_t cursor = after_cursor;
    if (after_cursor <= prefix) cursor = to_real(before.breaks, after_cursor);
    else if (after_cursor <= prefix + inserted.size()) cursor = after_cursor - breaks_before_edit;
    else cursor = real_from + inserted.size() + to_real(before.breaks, removed_end + (after_cursor - prefix - inserted.size())) - real_to;
    out.cursor = std::min(cursor, out.text.size());
    return out;
}

}  // namespace lb::ui::soft_wrap
