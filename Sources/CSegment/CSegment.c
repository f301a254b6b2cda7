#include "CSegment.h"

#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct jb_segmenter {
    UBreakIterator *iterator;
    UText *text;
};

jb_segmenter *jb_segmenter_open(void) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
    if (U_FAILURE(status) || iterator == NULL) return NULL;
    jb_segmenter *segmenter = calloc(1, sizeof *segmenter);
    if (segmenter == NULL) { ubrk_close(iterator); return NULL; }
    segmenter->iterator = iterator;
    return segmenter;
}

void jb_segmenter_close(jb_segmenter *segmenter) {
    if (segmenter == NULL) return;
    ubrk_close(segmenter->iterator);
    if (segmenter->text != NULL) utext_close(segmenter->text);
    free(segmenter);
}

static uint8_t kind_of(int32_t rule) {
    if (rule >= UBRK_WORD_IDEO && rule < UBRK_WORD_IDEO_LIMIT) return JB_SEGMENT_IDEO;
    if (rule >= UBRK_WORD_KANA && rule < UBRK_WORD_KANA_LIMIT) return JB_SEGMENT_KANA;
    if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_LETTER_LIMIT) return JB_SEGMENT_LETTER;
    if (rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT) return JB_SEGMENT_NUMBER;
    return JB_SEGMENT_NONE;
}

long jb_segment(jb_segmenter *segmenter, const uint8_t *bytes, long length,
                int32_t *ends, uint8_t *kinds, long capacity) {
    if (length <= 0) return 0;
    if (length > INT32_MAX || capacity < length) return -1;
    UErrorCode status = U_ZERO_ERROR;
    // Reuses the UText: opening over a previous one costs no allocation.
    segmenter->text = utext_openUTF8(segmenter->text, (const char *)bytes, length, &status);
    if (U_FAILURE(status)) return -1;
    ubrk_setUText(segmenter->iterator, segmenter->text, &status);
    if (U_FAILURE(status)) return -1;
    long count = 0;
    ubrk_first(segmenter->iterator);
    for (int32_t end = ubrk_next(segmenter->iterator); end != UBRK_DONE; end = ubrk_next(segmenter->iterator)) {
        if (count >= capacity) return -1;
        ends[count] = end;
        kinds[count] = kind_of(ubrk_getRuleStatus(segmenter->iterator));
        count++;
    }
    return count;
}
