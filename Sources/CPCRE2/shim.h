#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
// pcre2.h refuses to compile without a code unit width; we only ever match UTF-8 bytes.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2_ZERO_TERMINATED and PCRE2_UNSET are cast expressions that Swift cannot import.
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
#endif
