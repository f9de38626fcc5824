// A C entry point to CLD2's C++ interface (Debian's libcld2-dev), so that Swift calls it
// without C++ interoperability.
#include "cld2_shim.h"

#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/internal/lang_script.h>
#include <cstring>

extern "C" int ctxsel_detect_language(const char *text, int length, char *code, int *percent, int *reliable) {
    CLD2::Language languages[3];
    int percents[3];
    int textBytes = 0;
    bool isReliable = false;
    // CheckUTF8 rejects invalid bytes instead of reading past them.
    double scores[3];
    int validPrefix = 0;
    CLD2::Language found = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        text, length, true, nullptr, 0, languages, percents, scores, nullptr, &textBytes, &isReliable, &validPrefix);
    const char *name = CLD2::LanguageCode(found);
    std::strncpy(code, name ? name : "un", 15);
    code[15] = '\0';
    *percent = percents[0];
    *reliable = isReliable ? 1 : 0;
    return found == CLD2::UNKNOWN_LANGUAGE ? -1 : 0;
}
