#include "CConvert.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unorm2.h>

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

// Text that Chinese bulletins are made of: printable ASCII and line ends, Latin-1 letters,
// general punctuation, CJK punctuation, ideographs, full-width forms and U+FEFF.
static int plausible(uint32_t v) {
    if (v < 0x80) return (v >= 0x20 && v <= 0x7E) || v == 0x09 || v == 0x0A || v == 0x0D;
    return (v >= 0xA0 && v <= 0xFF) || (v >= 0x2000 && v <= 0x206F) || (v >= 0x3000 && v <= 0x303F) ||
           (v >= 0x3400 && v <= 0x9FFF) || (v >= 0xFF00 && v <= 0xFFEF) || v == 0xFEFF;
}

static int ideograph(uint32_t v) { return (v >= 0x3400 && v <= 0x9FFF) || (v >= 0x20000 && v <= 0x3FFFF); }

// The two rules above for each BMP code point, one byte each, made once: a table lookup is
// what the counting below costs per character, instead of a chain of range tests.
enum { PLAUSIBLE = 1, IDEOGRAPH = 2 };
static uint8_t bmp_classes[0x10000];
static pthread_once_t bmp_classes_made = PTHREAD_ONCE_INIT;

static void make_bmp_classes(void) {
    for (uint32_t v = 0; v < 0x10000; v++) {
        bmp_classes[v] = (uint8_t)((plausible(v) ? PLAUSIBLE : 0) | (ideograph(v) ? IDEOGRAPH : 0));
    }
}

// Counts one scalar. `common` has one bit per BMP code point (all 0x10000 of them).
__attribute__((always_inline))
static inline void count_scalar(jb_text_counts *counts, const uint64_t *common, uint32_t v) {
    counts->scalars += 1;
    if (v < 0x10000) {
        size_t c = bmp_classes[v], is_ideograph = c >> 1;
        counts->plausible += c & PLAUSIBLE;
        counts->ideographs += is_ideograph;
        counts->common += is_ideograph & (size_t)(common[v >> 6] >> (v & 63));
    } else {
        counts->plausible += (size_t)plausible(v);
        counts->ideographs += (size_t)ideograph(v);
    }
}

// Writes one scalar as UTF-8 at out (room for four bytes) and returns the bytes written.
static inline size_t put_utf8(uint8_t *out, uint32_t v) {
    if (v < 0x80) { out[0] = (uint8_t)v; return 1; }
    if (v < 0x800) { out[0] = (uint8_t)(0xC0 | v >> 6); out[1] = (uint8_t)(0x80 | (v & 0x3F)); return 2; }
    if (v < 0x10000) {
        out[0] = (uint8_t)(0xE0 | v >> 12);
        out[1] = (uint8_t)(0x80 | ((v >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (v & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | v >> 18);
    out[1] = (uint8_t)(0x80 | ((v >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((v >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (v & 0x3F));
    return 4;
}

// The UTF-16 that ICU's converter wrote, as UTF-8 at out, counted (into *counts, by `common`)
// when `counting`. A high surrogate at the end of the units waits in *pending for the next
// call (0: none) unless this is the `last` call; an unpaired surrogate becomes U+FFFD (what
// ICU's UTF-8 converter writes for one; ICU's decoders write none). Returns the bytes
// written (at most 3 a unit). The counts are kept in a local copy: stores through `out`
// could alias them and would make the compiler reload them for every character.
__attribute__((always_inline))
static inline size_t utf16_to_utf8(const UChar *units, size_t n, uint32_t *pending, int last, uint8_t *out,
                                   jb_text_counts *counts, const uint64_t *common, const int counting) {
    uint8_t *start = out;
    jb_text_counts local = {0, 0, 0, 0};
    size_t i = 0;
    if (*pending) {
        uint32_t v = 0xFFFD;
        if (n > 0 && units[0] >= 0xDC00 && units[0] <= 0xDFFF) {
            v = 0x10000 + ((*pending - 0xD800) << 10) + (units[0] - 0xDC00u);
            i = 1;
        }
        *pending = 0;
        if (counting) count_scalar(&local, common, v);
        out += put_utf8(out, v);
    }
    while (i < n) {
        uint32_t v = units[i++];
        if (v >= 0xD800 && v <= 0xDFFF) {
            if (v <= 0xDBFF && i < n && units[i] >= 0xDC00 && units[i] <= 0xDFFF) {
                v = 0x10000 + ((v - 0xD800) << 10) + (units[i] - 0xDC00u);
                i += 1;
            } else if (v <= 0xDBFF && i == n && !last) {
                *pending = v;
                break;
            } else {
                v = 0xFFFD;
            }
        }
        if (counting) count_scalar(&local, common, v);
        out += put_utf8(out, v);
    }
    if (counting) {
        counts->scalars += local.scalars;
        counts->plausible += local.plausible;
        counts->ideographs += local.ideographs;
        counts->common += local.common;
    }
    return (size_t)(out - start);
}

int jb_convert_to_utf8(const char *encoding, const uint8_t *bytes, size_t length, const uint64_t *common,
                       uint8_t **out, size_t *out_length, size_t *errors, long *first_error,
                       jb_text_counts *counts) {
    *out = NULL;
    *out_length = 0;
    *errors = 0;
    *first_error = -1;
    if (counts) {
        memset(counts, 0, sizeof *counts);
        if (common == NULL) return -3;
        pthread_once(&bmp_classes_made, make_bmp_classes);
    }
    UErrorCode status = U_ZERO_ERROR;
    UConverter *source = ucnv_open(encoding, &status);
    if (U_FAILURE(status) || source == NULL) return -1;

    error_count count = {0, -1, (const char *)bytes};
    ucnv_setToUCallBack(source, count_errors, &count, NULL, NULL, &status);

    // ICU decodes into a small UTF-16 buffer and the loop above writes UTF-8 from it: one
    // pass through ICU instead of two (to UTF-16, then ICU's UTF-8 converter), counting on the
    // way. UTF-8 from a double-byte encoding or UTF-16 is at most 1.5× as long, from GB18030's
    // four-byte forms 1×; a chunk's worst case (3 bytes a unit, U+FFFD for one bad byte) is
    // made room for before it is written.
    enum { chunk = 8192 };
    UChar units[chunk];
    size_t capacity = length + length / 2 + 64;
    uint8_t *buffer = malloc(capacity);
    if (buffer == NULL) { ucnv_close(source); return -2; }
    const char *src = (const char *)bytes, *src_end = src + length;
    size_t written = 0;
    uint32_t pending = 0;
    int failed = 0;
    do {
        UChar *target = units;
        status = U_ZERO_ERROR;
        ucnv_toUnicode(source, &target, units + chunk, &src, src_end, NULL, 1, &status);
        if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) { failed = -1; break; }
        int last = status != U_BUFFER_OVERFLOW_ERROR;
        size_t n = (size_t)(target - units);
        size_t need = written + 3 * n + 8;
        if (need > capacity) {
            size_t grown = capacity * 2 > need ? capacity * 2 : need;
            uint8_t *bigger = realloc(buffer, grown);
            if (bigger == NULL) { failed = -2; break; }
            buffer = bigger;
            capacity = grown;
        }
        written += counts ? utf16_to_utf8(units, n, &pending, last, buffer + written, counts, common, 1)
                          : utf16_to_utf8(units, n, &pending, last, buffer + written, NULL, NULL, 0);
    } while (status == U_BUFFER_OVERFLOW_ERROR);
    ucnv_close(source);
    if (failed) { free(buffer); return failed; }
    *out = buffer;
    *out_length = written;
    *errors = count.errors;
    *first_error = count.first < 0 ? (count.errors ? 0 : -1) : count.first;
    return 0;
}

int jb_utf16_counts(const uint8_t *bytes, size_t length, int big_endian, size_t give_up,
                    jb_text_counts *counts, size_t *errors) {
    static const uint64_t no_common[0x10000 / 64];
    pthread_once(&bmp_classes_made, make_bmp_classes);
    jb_text_counts local = {0, 0, 0, 0};
    size_t bad = 0, units = length / 2;
    int hi = big_endian ? 0 : 1, lo = big_endian ? 1 : 0;
    int complete = 1, odd = length % 2;
    for (size_t i = 0; i < units; i++) {
        uint32_t v = (uint32_t)bytes[2 * i + hi] << 8 | bytes[2 * i + lo];
        if (v >= 0xD800 && v <= 0xDFFF) {
            uint32_t next = i + 1 < units ? ((uint32_t)bytes[2 * i + 2 + hi] << 8 | bytes[2 * i + 2 + lo]) : 0;
            if (v <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
                v = 0x10000 + ((v - 0xD800) << 10) + (next - 0xDC00);
                i += 1;
            } else {
                // A high surrogate in the last unit and the odd byte after it are one
                // truncated sequence to ICU: one error, one U+FFFD.
                if (v <= 0xDBFF && i + 1 == units) odd = 0;
                v = 0xFFFD;
                bad += 1;
            }
        }
        count_scalar(&local, no_common, v);
        // Checked every 256 units: the implausible ones so far against the limit.
        if ((i & 255) == 255 && local.scalars - local.plausible > give_up) { complete = 0; break; }
    }
    // ICU reports a last odd byte as an illegal sequence and writes U+FFFD for it.
    if (complete && odd) { bad += 1; count_scalar(&local, no_common, 0xFFFD); }
    *counts = local;
    *errors = bad;
    return complete;
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
