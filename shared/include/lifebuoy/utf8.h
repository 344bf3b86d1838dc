// utf8.h — strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
// Not here: normalisation or any other text processing.
#pragma once

#include <string_view>

namespace lb {

bool is_valid_utf8(std::string_view text);

}  // namespace lb
