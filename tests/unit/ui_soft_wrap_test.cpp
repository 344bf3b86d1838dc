// ui_soft_wrap_test.cpp — the description field's word wrapping (client/ui/soft_wrap.h): wrapping
// never changes the text, and any edit made on the wrapped display — typing, pasting, Enter,
// Backspace and Delete, including on a wrap point — changes the real text exactly as the same edit
// without wrapping would. Seeded random edits against a plain-string model.
#include <doctest/doctest.h>

#include <random>

#include "ui/soft_wrap.h"

namespace sw = lb::ui::soft_wrap;

namespace {

// A 12-byte-wide field: wrap after the last space that fits, else mid-word.
std::size_t wrap_at_12(std::string_view line) {
    constexpr std::size_t width = 12;
    if (line.size() <= width) return line.size();
    const std::size_t space = line.substr(0, width + 1).rfind(' ');
    return space == std::string_view::npos || space == 0 ? width : space + 1;
}

}  // namespace

TEST_CASE("soft wrap: breaks long lines at words, keeps the person's own line breaks, never changes the text") {
    const std::string text = "The VPN drops every hour on the dot\nsince Monday.\n\nWi-Fi is fine.";
    sw::Wrapped w = sw::wrap(text, wrap_at_12);
    CHECK(w.display == "The VPN \ndrops every \nhour on the \ndot\nsince \nMonday.\n\nWi-Fi is \nfine.");
    CHECK(w.breaks.size() == 5);
    CHECK(sw::unwrap(w.display, w.breaks) == text);
    CHECK(sw::wrap("", wrap_at_12).display.empty());
    CHECK(sw::wrap("abcdefghijklmnopqrstuvwxyz", wrap_at_12).display == "abcdefghijkl\nmnopqrstuvwx\nyz");
    // never splits a UTF-8 sequence
    sw::Wrapped u = sw::wrap("ééééééééé", wrap_at_12);
    CHECK(u.display == "éééééé\nééé");
    CHECK(sw::unwrap(u.display, u.breaks) == "ééééééééé");
    for (std::size_t b : u.breaks) CHECK((static_cast<unsigned char>(u.display[b + 1]) & 0xC0) != 0x80);
}

TEST_CASE("soft wrap: Backspace at the start of a wrapped line and Delete at the end of one remove a real character") {
    const std::string text = "printer on floor two";
    sw::Wrapped w = sw::wrap(text, wrap_at_12);
    REQUIRE(w.display == "printer on \nfloor two");
    const std::size_t soft = w.breaks[0];
    // Backspace with the cursor at the start of "floor": the field removed the soft break
    std::string after = w.display.substr(0, soft) + w.display.substr(soft + 1);
    sw::Edited back = sw::apply_edit(w, after, soft, /*backspace=*/true);
    CHECK(back.text == "printer onfloor two");
    CHECK(back.cursor == 10);
    // Delete with the cursor at the end of "on ": the same buffer change, the other key
    sw::Edited del = sw::apply_edit(w, after, soft, /*backspace=*/false);
    CHECK(del.text == "printer on loor two");
    CHECK(del.cursor == 11);
}

TEST_CASE("soft wrap: random edits on the wrapped display equal the same edits on the plain text") {
    std::mt19937 rng(20261127);
    const std::vector<std::string> pieces{"a", "b", " ", "VPN ", "é", "\n", "disconnects ", "x", "🙂",
                                          "pasted text that is rather long for one line "};
    for (int round = 0; round < 200; ++round) {
        std::string real;
        std::size_t cursor = 0;
        for (int step = 0; step < 60; ++step) {
            sw::Wrapped w = sw::wrap(real, wrap_at_12);
            REQUIRE(sw::unwrap(w.display, w.breaks) == real);
            const std::size_t d = sw::to_display(w.breaks, cursor);
            REQUIRE(sw::to_real(w.breaks, d) == cursor);
            const int kind = static_cast<int>(rng() % 6);
            std::string after;
            std::size_t after_cursor = 0;
            std::string expected = real;
            std::size_t expected_cursor = cursor;
            bool backspace = false;
            if (kind <= 2) {  // type or paste at the cursor
                const std::string& s = pieces[rng() % pieces.size()];
                after = w.display.substr(0, d) + s + w.display.substr(d);
                after_cursor = d + s.size();
                expected.insert(cursor, s);
                expected_cursor = cursor + s.size();
            } else if (kind == 3) {  // Backspace
                if (d == 0) continue;
                backspace = true;
                std::size_t start = d - 1;
                while (start > 0 && (static_cast<unsigned char>(w.display[start]) & 0xC0) == 0x80) --start;
                after = w.display.substr(0, start) + w.display.substr(d);
                after_cursor = start;
                std::size_t rs = cursor - 1;
                while (rs > 0 && (static_cast<unsigned char>(real[rs]) & 0xC0) == 0x80) --rs;
                expected.erase(rs, cursor - rs);
                expected_cursor = rs;
            } else if (kind == 4) {  // Delete, sometimes from the end of a wrapped line (before its soft break)
                std::size_t at = d;
                const bool before_break = at > 0 && std::binary_search(w.breaks.begin(), w.breaks.end(), at - 1) && rng() % 2;
                if (before_break) at -= 1;
                if (at >= w.display.size() || cursor >= real.size()) continue;
                after = w.display.substr(0, at) + w.display.substr(at + sw::utf8_char_length(w.display, at));
                after_cursor = at;
                expected.erase(cursor, sw::utf8_char_length(real, cursor));
            } else {  // move the cursor to a random character boundary
                std::size_t to = real.empty() ? 0 : rng() % (real.size() + 1);
                while (to < real.size() && (static_cast<unsigned char>(real[to]) & 0xC0) == 0x80) ++to;
                cursor = to;
                continue;
            }
            sw::Edited e = sw::apply_edit(w, after, after_cursor, backspace);
            INFO("round ", round, " step ", step, " kind ", kind, " real '", real, "'");
            REQUIRE(e.text == expected);
            REQUIRE(e.cursor == expected_cursor);
            real = e.text;
            cursor = e.cursor;
        }
    }
}
