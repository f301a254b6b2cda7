#include "CConvert.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

// Counts and locates the bytes the converter could not map, then substitutes U+FFFD as the
// default callback would.
typedef struct {
    size_t errors;
    long first;
    const char *start;  // the caller's whole input, to turn pointers into offsets
} error_count;

static void count_errors(const void *context, UConverterToUnicodeArgs *args, const char *units,
                         int32_t length, UConverterCallbackReason reason, UErrorCode *status) {
    error_count *count = (error_count *)context;
    if (reason == UCNV_ILLEGAL || reason == UCNV_UNASSIGNED || reason == UCNV_IRREGULAR) {
        // The offending units end where the converter's source pointer now is (ICU
        // converts straight from the caller's buffer).
        if (count->errors == 0) count->first = (long)(args->source - count->start) - length;
        count->errors += 1;
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, reason, status);
}

int jb_encoding_known(const char *encoding) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(encoding, &status);
    if (U_FAILURE(status) || converter == NULL) return 0;
    ucnv_close(converter);
    return 1;
}

int jb_encoding_canonical(const char *encoding, char *name, size_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(encoding, &status);
    if (U_FAILURE(status) || converter == NULL) return -1;
    const char *canonical = ucnv_getName(converter, &status);
    int result = -1;
    if (U_SUCCESS(status) && canonical != NULL && strlen(canonical) < capacity) {
        strcpy(name, canonical);
        result = 0;
    }
    ucnv_close(converter);
    return result;
}

void jb_convert_free(uint8_t *buffer) { free(buffer); }

int jb_convert_to_utf8(const char *encoding, const uint8_t *bytes, size_t length,
                       uint8_t **out, size_t *out_length, size_t *errors, long *first_error) {
    *out = NULL;
    *out_length = 0;
    *errors = 0;
    *first_error = -1;
    UErrorCode status = U_ZERO_ERROR;
    UConverter *source = ucnv_open(encoding, &status);
    if (U_FAILURE(status) || source == NULL) return -1;
    UConverter *target = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status) || target == NULL) { ucnv_close(source); return -1; }

    error_count count = {0, -1, (const char *)bytes};
    ucnv_setToUCallBack(source, count_errors, &count, NULL, NULL, &status);

    // UTF-8 from a double-byte encoding is at most 1.5× as long, from UTF-16 at most 1.5×,
    // from GB18030 four-byte forms 1×; 2× + 16 covers every case and one-byte encodings (3×)
    // grow the buffer below.
    size_t capacity = length * 2 + 16;
    uint8_t *buffer = malloc(capacity);
    if (buffer == NULL) { ucnv_close(source); ucnv_close(target); return -2; }

    // Convert in chunks through a small UTF-16 pivot, growing the output when it fills.
    const size_t chunk = 1 << 16;
    UChar pivot[1024];
    UChar *pivot_source = pivot, *pivot_target = pivot;
    size_t done = 0, written = 0;
    int failed = 0;
    while (1) {
        size_t take = length - done < chunk ? length - done : chunk;
        int flush = done + take == length;
        const char *src = (const char *)bytes + done;
        const char *src_end = src + take;
        while (1) {
            if (capacity - written < 64) {
                size_t grown = capacity * 2;
                uint8_t *bigger = realloc(buffer, grown);
                if (bigger == NULL) { failed = -2; break; }
                buffer = bigger;
                capacity = grown;
            }
            char *dst = (char *)buffer + written;
            char *dst_start = dst;
            status = U_ZERO_ERROR;
            ucnv_convertEx(target, source, &dst, (const char *)buffer + capacity, &src, src_end,
                           pivot, &pivot_source, &pivot_target, pivot + 1024, 0, flush, &status);
            written += (size_t)(dst - dst_start);
            if (status == U_BUFFER_OVERFLOW_ERROR) {
                size_t grown = capacity * 2;
                uint8_t *bigger = realloc(buffer, grown);
                if (bigger == NULL) { failed = -2; break; }
                buffer = bigger;
                capacity = grown;
                continue;
            }
            if (U_FAILURE(status)) failed = -1;
            break;
        }
        if (failed) break;
        done += take;
        if (flush) break;
    }
    ucnv_close(source);
    ucnv_close(target);
    if (failed) { free(buffer); return failed; }
    *out = buffer;
    *out_length = written;
    *errors = count.errors;
    *first_error = count.first < 0 ? (count.errors ? 0 : -1) : count.first;
    return 0;
}

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

uint32_t jb_nfkc_single(uint32_t scalar) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status) || nfkc == NULL) return 0;
    UChar decomposition[8];
    int32_t n = unorm2_getDecomposition(nfkc, (UChar32)scalar, decomposition, 8, &status);
    if (U_FAILURE(status) || n <= 0) return 0;
    if (n == 1 && !(decomposition[0] >= 0xD800 && decomposition[0] <= 0xDFFF)) return decomposition[0];
    if (n == 2 && decomposition[0] >= 0xD800 && decomposition[0] <= 0xDBFF &&
        decomposition[1] >= 0xDC00 && decomposition[1] <= 0xDFFF) {
        return 0x10000 + (((uint32_t)decomposition[0] - 0xD800) << 10) + ((uint32_t)decomposition[1] - 0xDC00);
    }
    return 0;
}

// Whether the byte at p[i] may start something the normaliser changes: C0 controls other than
// tab, LF and CR, and DEL; C2 80–AD (C1 controls, U+00A0, soft hyphen); E2 80/81 (spaces,
// zero-width characters, U+2028/2029, U+205F/2060) and E2 BA–BF (CJK radicals, Kangxi
// radicals); EF A4–AB (compatibility ideographs) and EF BB (U+FEFF); F0 AF (compatibility
// supplement). The second byte matters: full-width punctuation (EF BC …) is everywhere in
// Chinese text and must not stop the scan.
static inline int is_candidate(const uint8_t *p, size_t i, size_t n) {
    uint8_t b = p[i];
    if (b < 0x20) return b != 0x09 && b != 0x0A && b != 0x0D;
    if (b == 0x7F) return 1;
    if (b != 0xC2 && b != 0xE2 && b != 0xEF && b != 0xF0) return 0;
    if (i + 1 >= n) return 0;
    uint8_t c = p[i + 1];
    switch (b) {
    case 0xC2: return c >= 0x80 && c <= 0xAD;
    case 0xE2: return c == 0x80 || c == 0x81 || (c >= 0xBA && c <= 0xBF);
    case 0xEF: return (c >= 0xA4 && c <= 0xAB) || c == 0xBB;
    default: return c == 0xAF;
    }
}

#ifdef __SSE2__
// Bytes of v in [lo, lo + span] (unsigned).
static inline __m128i in_range(__m128i v, uint8_t lo, uint8_t span) {
    __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8((char)span)), shifted);
}

static inline __m128i equals(__m128i v, uint8_t x) { return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)x)); }
#endif

size_t jb_normalise_candidate(const uint8_t *p, size_t n) {
    size_t i = 0;
#ifdef __SSE2__
    // Sixteen lead bytes at a time, each with the byte after it.
    for (; i + 17 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i c = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(b, _mm_set1_epi8(0x1F)), b);
        __m128i layout = _mm_or_si128(_mm_or_si128(equals(b, 0x09), equals(b, 0x0A)), equals(b, 0x0D));
        __m128i hit = _mm_or_si128(_mm_andnot_si128(layout, low), equals(b, 0x7F));
        hit = _mm_or_si128(hit, _mm_and_si128(equals(b, 0xC2), in_range(c, 0x80, 0x2D)));
        hit = _mm_or_si128(hit, _mm_and_si128(equals(b, 0xE2),
                                              _mm_or_si128(in_range(c, 0x80, 0x01), in_range(c, 0xBA, 0x05))));
        hit = _mm_or_si128(hit, _mm_and_si128(equals(b, 0xEF),
                                              _mm_or_si128(in_range(c, 0xA4, 0x07), equals(c, 0xBB))));
        hit = _mm_or_si128(hit, _mm_and_si128(equals(b, 0xF0), equals(c, 0xAF)));
        int mask = _mm_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++) {
        if (is_candidate(p, i, n)) return i;
    }
    return n;
}
