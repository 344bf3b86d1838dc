// triage/terms.h — text → normalised terms for the categoriser: ASCII lower-case, split on
// anything that is not a letter or digit, and a light suffix-stripping stemmer, so that
// "Printers", "printing" and "printer" all become "print", and "passwords" becomes "password".
//
// The stemmer is deliberately small and predictable (a handful of English suffix rules, a bit like
// Porter's step 1): the catalogue's terms go through the same function, so a keyword matches the
// words that share its stem; it does not need to produce real words.
// Non-ASCII bytes are kept as parts of words (no Unicode case folding).
// Not here: the knowledge base's search tokeniser (client/engine/kb_*), which has other needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lb::triage {

inline constexpr std::size_t kMaxTermBytes = 48;  // longer words are cut (not dropped)

// One lower-case word → its stem.
std::string stem(std::string_view word);

// Text → stems, in order (phrases match on consecutive stems).
std::vector<std::string> text_terms(std::string_view text);

}  // namespace lb::triage
