#include "CDetect.h"

#include <string.h>
#include <unicode/ucsdet.h>

int jb_detect_charset(const uint8_t *bytes, size_t length, char *name, size_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status) || detector == NULL) return -1;
    int32_t take = length > (1 << 20) ? (1 << 20) : (int32_t)length;
    ucsdet_setText(detector, (const char *)bytes, take, &status);
    const UCharsetMatch *match = ucsdet_detect(detector, &status);
    int confidence = -1;
    if (U_SUCCESS(status) && match != NULL) {
        const char *found = ucsdet_getName(match, &status);
        int32_t c = ucsdet_getConfidence(match, &status);
        if (U_SUCCESS(status) && found != NULL && strlen(found) < capacity) {
            strcpy(name, found);
            confidence = c;
        }
    }
    ucsdet_close(detector);
    return confidence;
}
