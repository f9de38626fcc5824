#ifndef CTXSEL_CLD2_SHIM_H
#define CTXSEL_CLD2_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/// The language of `length` bytes of UTF-8 plain text, by Google's Compact Language Detector 2:
/// writes its ISO 639-1 code (or CLD2's code, e.g. "zh-Hant") into `code` (at least 16 bytes),
/// the share of the text in it (0-100) into `percent`, and whether CLD2 calls the result reliable
/// into `reliable`. Returns 0 when CLD2 found a language, -1 when it did not ("un").
int ctxsel_detect_language(const char *text, int length, char *code, int *percent, int *reliable);

#ifdef __cplusplus
}
#endif

#endif
