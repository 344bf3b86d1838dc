// kb_text.h — the language side of knowledge search: stop words, IT synonyms, typo distance.
//
// Pure functions over lower-case ASCII words, no database. The word lists are small, English and
// hand-made for an IT help desk; they are data, not tuned to any evaluation set.
// Not here: tokenising and stemming (kb_tokenizer.h — the index's own FTS5 tokenizer does that,
// so queries and documents agree), query planning (knowledge_base.cpp).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lb::engine {

// A phrase is a sequence of lower-case words ("remote", "access"); a group lists phrases that
// mean the same to a person asking for help.
using KbPhrase = std::vector<std::string>;
using KbSynonymGroup = std::vector<KbPhrase>;

bool kb_is_stop_word(std::string_view lower_word);
std::span<const std::string_view> kb_stop_words();

const std::vector<KbSynonymGroup>& kb_synonym_groups();

// The synonym group whose longest phrase matches `words` starting at `at`, or nullptr.
// `matched` receives how many words matched.
const KbSynonymGroup* kb_find_synonyms(const std::vector<std::string>& words, std::size_t at,
                                       std::size_t& matched);

// Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), or max + 1
// as soon as it must exceed `max`.
int kb_edit_distance(std::string_view a, std::string_view b, int max);

std::string kb_ascii_lower(std::string_view text);

}  // namespace lb::engine
