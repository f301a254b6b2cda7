#define _GNU_SOURCE
#include <string.h>
#include "CBytes.h"

// Well-formed UTF-8 per Unicode 15, table 3-7. Written in C because this runs over every
// byte of the corpus once per load and must not be the bottleneck (see docs/BENCHMARKS.md).
size_t jb_utf8_find_invalid(const uint8_t *p, size_t n, size_t *bad_len) {
    size_t i = 0;
    while (i < n) {
        // ASCII fast path, eight bytes at a time.
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        uint8_t b = p[i];
        if (b < 0x80) { i++; continue; }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) need = 1;
        else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            if (b == 0xE0) lo = 0xA0;
            else if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            if (b == 0xF0) lo = 0x90;
            else if (b == 0xF4) hi = 0x8F;
        } else { *bad_len = 1; return i; }
        // The second byte has a restricted range; the rest are plain continuations.
        size_t k = 1;
        if (i + k >= n || p[i + k] < lo || p[i + k] > hi) { *bad_len = 1; return i; }
        for (k = 2; k <= need; k++) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80) { *bad_len = k; return i; }
        }
        i += need + 1;
    }
    *bad_len = 0;
    return n;
}

size_t jb_count_scalars(const uint8_t *p, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += (p[i] & 0xC0) != 0x80;
    return count;
}

long jb_memmem(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len) {
    if (needle_len == 0) return 0;
    const uint8_t *hit = memmem(hay, hay_len, needle, needle_len);
    return hit ? (long)(hit - hay) : -1;
}

size_t jb_count_occurrences(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len) {
    if (needle_len == 0) return 0;
    size_t count = 0;
    const uint8_t *p = hay, *end = hay + hay_len;
    while (p < end) {
        const uint8_t *hit = memmem(p, (size_t)(end - p), needle, needle_len);
        if (!hit) break;
        count++;
        p = hit + needle_len;
    }
    return count;
}
