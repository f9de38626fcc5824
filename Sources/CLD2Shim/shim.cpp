// A C entry point to CLD2's C++ interface (Debian's libcld2-dev), so that Swift calls it
// without C++ interoperability.
#include "cld2_shim.h"

#include <cstdio>  // compact_lang_det.h names FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cstring>

extern "C" int ctxsel_detect_language(const char *text, int length, char summary[16], char codes[48], int percents[3],
                                      int *reliable) {
    CLD2::Language languages[3];
    double scores[3];
    int textBytes = 0;
    int validPrefix = 0;
    bool isReliable = false;
    // CheckUTF8 rejects invalid bytes instead of reading past them.
    CLD2::Language found = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        text, length, true, nullptr, 0, languages, percents, scores, nullptr, &textBytes, &isReliable, &validPrefix);
    for (int rank = 0; rank < 3; rank++) {
        const char *name = CLD2::LanguageCode(languages[rank]);
        std::strncpy(codes + 16 * rank, name ? name : "un", 15);
        codes[16 * rank + 15] = '\0';
    }
    const char *name = CLD2::LanguageCode(found);
    std::strncpy(summary, name ? name : "un", 15);
    summary[15] = '\0';
    *reliable = isReliable ? 1 : 0;
    return found == CLD2::UNKNOWN_LANGUAGE ? -1 : 0;
}
