#include "icu_shim.h"
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct icu_words {
    UBreakIterator *iterator;
    UText *text;
};

icu_words *icu_words_open(const char *locale) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
    if (U_FAILURE(status)) return NULL;
    icu_words *words = malloc(sizeof(icu_words));
    if (!words) {
        ubrk_close(iterator);
        return NULL;
    }
    words->iterator = iterator;
    words->text = NULL;
    return words;
}

void icu_words_close(icu_words *words) {
    if (!words) return;
    ubrk_close(words->iterator);
    if (words->text) utext_close(words->text);
    free(words);
}

int32_t icu_words_segment(icu_words *words, const char *text, int32_t length, int32_t *bounds, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    // A UText over the UTF-8 bytes themselves: the iterator's indexes are byte offsets.
    words->text = utext_openUTF8(words->text, text, length, &status);
    if (U_FAILURE(status)) return -1;
    ubrk_setUText(words->iterator, words->text, &status);
    if (U_FAILURE(status)) return -1;
    int32_t count = 0;
    int32_t start = ubrk_first(words->iterator);
    for (int32_t end = ubrk_next(words->iterator); end != UBRK_DONE; start = end, end = ubrk_next(words->iterator)) {
        // Rule status below UBRK_WORD_NONE_LIMIT (100): spaces, punctuation, symbols.
        if (ubrk_getRuleStatus(words->iterator) < UBRK_WORD_NONE_LIMIT) continue;
        if (count < capacity) {
            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
        }
        count += 1;
    }
    return count;
}
