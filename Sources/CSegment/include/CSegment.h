#ifndef CSEGMENT_H
#define CSEGMENT_H

#include <stddef.h>
#include <stdint.h>

// Word segmentation with ICU's dictionary-based word break iterator, behind a header that
// names no ICU type: importing system ICU and Foundation into one Swift module fails on
// conflicting declarations (docs/PLATFORM.md of the project's shared notes).

// What a segment is, from ICU's rule status.
enum {
    JB_SEGMENT_NONE = 0,    // spaces, punctuation, symbols
    JB_SEGMENT_NUMBER = 1,  // digits (3.65, 2024)
    JB_SEGMENT_LETTER = 2,  // letters (Latin words, abbreviations)
    JB_SEGMENT_KANA = 3,
    JB_SEGMENT_IDEO = 4     // ideographic words (Chinese)
};

// One break iterator; not thread-safe: open one per thread.
typedef struct jb_segmenter jb_segmenter;

// A segmenter for Chinese ("zh" rules and dictionary); NULL if ICU cannot make one.
jb_segmenter *jb_segmenter_open(void);
void jb_segmenter_close(jb_segmenter *segmenter);

// Splits the UTF-8 text bytes[0..<length] into segments. Segment i is [ends[i-1], ends[i])
// (from 0 for the first), in bytes, of kind kinds[i]. `capacity` must be at least `length`
// (no segment is empty). Returns the number of segments, or -1 if ICU reports an error.
long jb_segment(jb_segmenter *segmenter, const uint8_t *bytes, long length,
                int32_t *ends, uint8_t *kinds, long capacity);

#endif
