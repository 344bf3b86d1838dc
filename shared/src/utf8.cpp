// utf8.cpp — strict UTF-8 validation, with an ASCII fast path.
#include "lifebuoy/utf8.h"

#include <cstdint>

namespace lb {

bool is_valid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        unsigned min_second = 0x80;
        unsigned max_second = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) min_second = 0xA0;  // overlong
            if (c == 0xED) max_second = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) min_second = 0x90;  // overlong
            if (c == 0xF4) max_second = 0x8F;  // past U+10FFFF
        } else {
            return false;
        }
        if (end - p <= extra) return false;
        const unsigned second = p[1];
        if (second < min_second || second > max_second) return false;
        for (int i = 2; i <= extra; ++i) {
            if ((p[i] & 0xC0u) != 0x80u) return false;
        }
        p += extra + 1;
    }
    return true;
}

}  // namespace lb
