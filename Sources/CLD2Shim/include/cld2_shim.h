#ifndef CTXSEL_CLD2_SHIM_H
#define CTXSEL_CLD2_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/// The languages of `length` bytes of UTF-8 plain text, by Google's Compact Language Detector 2.
/// Codes are ISO 639-1 (or CLD2's own, e.g. "zh-Hant"; "un" for none), each at most 15 bytes and
/// NUL-terminated. Writes CLD2's answer into `summary` (which, for text of mostly English
/// boilerplate around another language, is the other one), the three languages it found most
/// of, most first, into `codes` (16 bytes each), the share of the text in each (0-100) into `percents`, and
/// whether CLD2 calls its answer reliable into `reliable`. Returns 0 when CLD2 found a language,
/// -1 when it did not.
int ctxsel_detect_language(const char *text, int length, char summary[16], char codes[48], int percents[3],
                           int *reliable);

#ifdef __cplusplus
}
#endif

#endif
