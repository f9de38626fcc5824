#ifndef ICU_SHIM_H
#define ICU_SHIM_H
#include <stdint.h>

// ICU's dictionary-based word segmentation (Debian: libicu-dev) behind plain C functions: ICU's
// own entry points carry its version in their names through macros, which Swift cannot call.

typedef struct icu_words icu_words;

// A word break iterator for `locale` (e.g. "ja", "zh"; Chinese and Japanese text is segmented by
// ICU's CJ dictionary whatever the locale), or NULL when ICU cannot make one.
icu_words *icu_words_open(const char *locale);
void icu_words_close(icu_words *words);

// Segments `length` bytes of UTF-8 at `text` into words and writes the byte offsets of each
// word-like segment (letters, numbers, kana, ideographs; not spaces or punctuation) as
// start/end pairs into `bounds`, at most `capacity` pairs. Returns the number of segments (more
// than `capacity` when `bounds` was too small, which then holds the first `capacity`), or -1 on
// an ICU error.
int32_t icu_words_segment(icu_words *words, const char *text, int32_t length, int32_t *bounds, int32_t capacity);

#endif
