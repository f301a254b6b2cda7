#define _GNU_SOURCE
#include <stdatomic.h>
#include <emmintrin.h>
#include <immintrin.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "CBytes.h"

// Well-formed UTF-8 per Unicode 15, table 3-7. Written in C because this runs over every
// byte of the corpus once per load and must not be the bottleneck (see docs/BENCHMARKS.md).
// The length of the well-formed sequence whose lead byte p[i] (>= 0x80) is, or 0 with *bad_len
// the length of the ill-formed part there (Unicode's "maximal subpart", at least 1).
static inline size_t utf8_sequence(const uint8_t *p, size_t i, size_t n, size_t *bad_len) {
    uint8_t b = p[i];
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
    } else { *bad_len = 1; return 0; }
    // The second byte has a restricted range; the rest are plain continuations.
    size_t k = 1;
    if (i + k >= n || p[i + k] < lo || p[i + k] > hi) { *bad_len = 1; return 0; }
    for (k = 2; k <= need; k++) {
        if (i + k >= n || (p[i + k] & 0xC0) != 0x80) { *bad_len = k; return 0; }
    }
    return need + 1;
}

/* The first byte at or after i that is not ASCII, eight bytes at a time (or n). */
static inline size_t skip_ascii(const uint8_t *p, size_t i, size_t n) {
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL) return i;
        i += 8;
    }
    return i;
}

#ifdef __SSE2__
// Bytes of v in [lo, lo + span] (unsigned).
static inline __m128i in_range(__m128i v, uint8_t lo, uint8_t span) {
    __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8((char)span)), shifted);
}

static inline __m128i equal_to(__m128i v, uint8_t x) { return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)x)); }
#endif

// Whether an ASCII word (no byte with its high bit) holds a control character: a byte below
// 0x20 or DEL. Exact as a yes or no (the usual "has a byte less than" trick).
static inline int has_control(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t del = w ^ (ones * 0x7F);
    return (((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & highs ? 1 : 0;
}

// Whether the well-formed scalar at p[i] (its lead byte b >= 0x80, `length` bytes) is one the
// normaliser changes, TextNormaliser.action: U+0080–00A0 and U+00AD; U+2000–200D, U+2028,
// U+2029, U+202F, U+205F, U+2060; U+FEFF except at the start; and, since only ICU knows which
// of them NFKC maps, all of U+2E80–2FFF, U+F900–FAFF and U+2F800–2FA3F. Three bytes, not two
// as in is_candidate: curly quotes and dashes (E2 80 9C …) are in most Chinese files and are
// kept.
static inline int changes(const uint8_t *p, size_t i, uint8_t b) {
    uint8_t c = p[i + 1];
    switch (b) {
    case 0xC2: return c <= 0xA0 || c == 0xAD;
    case 0xE2: {
        uint8_t d = p[i + 2];
        if (c == 0x80) return d <= 0x8D || d == 0xA8 || d == 0xA9 || d == 0xAF;
        if (c == 0x81) return d == 0x9F || d == 0xA0;
        return c >= 0xBA;
    }
    case 0xEF: return (c >= 0xA4 && c <= 0xAB) || (c == 0xBB && p[i + 2] == 0xBF && i > 0);
    case 0xF0: return c == 0xAF && p[i + 2] >= 0xA0 && p[i + 2] <= 0xA8;
    default: return 0;
    }
}

#ifdef __SSE2__
// Sixteen bytes at p that hold only ASCII, continuation bytes and the lead bytes E1–EC, EE and
// EF (whose three-byte sequences need no range check beyond "two continuations follow": nearly
// all of Chinese text), each continuation where a lead two or one bytes before wants it:
// returns the continuations wanted in the next block (bit 0, 1) through *pending, or -1 when
// the block is anything else, which the scalar path then reads.
static inline int simple_block(__m128i b, uint32_t *pending) {
    uint32_t high = (uint32_t)_mm_movemask_epi8(b);
    uint32_t continuation = (uint32_t)_mm_movemask_epi8(in_range(b, 0x80, 0x3F));
    uint32_t lead = (uint32_t)_mm_movemask_epi8(_mm_or_si128(in_range(b, 0xE1, 0x0B), in_range(b, 0xEE, 0x01)));
    if ((continuation | lead) != high) return -1;
    uint32_t want = lead << 1 | lead << 2;
    if (continuation != ((want & 0xFFFF) | *pending)) return -1;
    *pending = want >> 16;
    return 0;
}

// Positions in the block b (c: the same sixteen bytes one on) that may start a change, as
// jb_normalise_candidate finds them: control characters, E2 80/81/BA–BF, EF A4–AB/BB (C2 and
// F0 leads never reach a simple block).
static inline uint32_t candidates(__m128i b, __m128i c) {
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(b, _mm_set1_epi8(0x1F)), b);
    __m128i layout = _mm_or_si128(_mm_or_si128(equal_to(b, 0x09), equal_to(b, 0x0A)), equal_to(b, 0x0D));
    __m128i hit = _mm_or_si128(_mm_andnot_si128(layout, low), equal_to(b, 0x7F));
    hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xE2), _mm_or_si128(in_range(c, 0x80, 0x01), in_range(c, 0xBA, 0x05))));
    hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xEF), _mm_or_si128(in_range(c, 0xA4, 0x07), equal_to(c, 0xBB))));
    return (uint32_t)_mm_movemask_epi8(hit);
}
#endif

// Whether the ASCII byte b is a control character the normaliser changes.
static inline int changes_ascii(uint8_t b) { return (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F; }

// jb_utf8_find_invalid, noting the first change in *change when change is not NULL. Blocks of
// sixteen bytes of plain Chinese text are checked together (SSE2); anything else, and the
// block it is in, goes one scalar at a time as before.
static size_t validate(const uint8_t *p, size_t n, size_t *bad_len, size_t *change) {
    size_t i = 0;
    int noting = change != NULL;
    if (noting) *change = n;
    while (i < n) {
        size_t scalar_until = i;
#ifdef __SSE2__
        uint32_t pending = 0;
        while (i + 18 <= n) {
            __m128i b = _mm_loadu_si128((const __m128i *)(p + i));
            if (simple_block(b, &pending) != 0) break;
            if (noting) {
                uint32_t mask = candidates(b, _mm_loadu_si128((const __m128i *)(p + i + 1)));
                while (mask) {
                    size_t at = i + (size_t)__builtin_ctz(mask);
                    mask &= mask - 1;
                    if (p[at] < 0x80 || changes(p, at, p[at])) { *change = at; noting = 0; break; }
                }
            }
            i += 16;
        }
        // A block that is not simple: back to the lead of a sequence it splits, then one
        // scalar at a time to its end.
        if (pending == 3) i -= 1;
        else if (pending == 1) i -= 2;
        scalar_until = i + 18 <= n ? i + 16 : n;
#else
        scalar_until = n;
#endif
        while (i < scalar_until) {
            if (!noting) {
                size_t ascii_end = skip_ascii(p, i, scalar_until);
                i = ascii_end;
                if (i >= scalar_until) break;
            } else {
                while (i + 8 <= scalar_until) {
                    uint64_t w;
                    memcpy(&w, p + i, 8);
                    if ((w & 0x8080808080808080ULL) || has_control(w)) break;
                    i += 8;
                }
                if (i >= scalar_until) break;
            }
            uint8_t b = p[i];
            if (b < 0x80) {
                if (noting && changes_ascii(b)) { *change = i; noting = 0; }
                i++;
                continue;
            }
            size_t length = utf8_sequence(p, i, n, bad_len);
            if (length == 0) {
                if (noting) *change = i;
                return i;
            }
            if (noting && changes(p, i, b)) { *change = i; noting = 0; }
            i += length;
        }
    }
    *bad_len = 0;
    return n;
}

size_t jb_utf8_find_invalid(const uint8_t *p, size_t n, size_t *bad_len) { return validate(p, n, bad_len, NULL); }

size_t jb_utf8_find_invalid_noting(const uint8_t *p, size_t n, size_t *bad_len, size_t *change) {
    return validate(p, n, bad_len, change);
}

int jb_utf8_sequence_counts(const uint8_t *p, size_t n, int settle, size_t *valid, size_t *invalid) {
    size_t i = 0, good = 0, bad = 0;
    int complete = 1;
    while (i < n) {
        i = skip_ascii(p, i, n);
        if (i >= n) break;
        if (p[i] < 0x80) { i++; continue; }
        size_t bad_len = 0;
        size_t length = utf8_sequence(p, i, n, &bad_len);
        if (length) { good++; i += length; continue; }
        bad++;
        i += bad_len;
        // Every well-formed sequence takes two bytes at least: the rest holds (n - i) / 2.
        if (settle && 4 * bad > good + (n - i) / 2) { complete = 0; break; }
    }
    *valid = good;
    *invalid = bad;
    return complete;
}

size_t jb_count_scalars(const uint8_t *p, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += (p[i] & 0xC0) != 0x80;
    return count;
}

/// Scalar starts (bytes that are not continuations) among the eight bytes of `w`.
static inline int starts_in_word(uint64_t w) {
    uint64_t continuation = w & ~(w << 1) & 0x8080808080808080ULL;
    return 8 - __builtin_popcountll(continuation);
}

size_t jb_scalars_forward(const uint8_t *p, size_t from, size_t end, size_t count) {
    size_t i = from, seen = 0;
    while (i + 8 <= end) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        size_t starts = (size_t)starts_in_word(w);
        if (seen + starts > count) break;
        seen += starts;
        i += 8;
    }
    for (; i < end; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            if (seen == count) return i;
            seen++;
        }
    }
    return end;
}

size_t jb_scalars_backward(const uint8_t *p, size_t start, size_t from, size_t count) {
    size_t i = from, seen = 0;
    if (count == 0) return from;
    while (i >= start + 8) {
        uint64_t w;
        memcpy(&w, p + i - 8, 8);
        size_t starts = (size_t)starts_in_word(w);
        if (seen + starts >= count) break;
        seen += starts;
        i -= 8;
    }
    while (i > start) {
        i--;
        if ((p[i] & 0xC0) != 0x80 && ++seen == count) return i;
    }
    return start;
}

long jb_memmem(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len) {
    if (needle_len == 0) return 0;
    const uint8_t *hit = memmem(hay, hay_len, needle, needle_len);
    return hit ? (long)(hit - hay) : -1;
}

/// How common a byte is in Chinese bulletin text, lower is rarer: UTF-8 lead bytes of CJK
/// (E4–E9) and of punctuation (E2, E3, EF) are everywhere; a given continuation byte is about
/// one position in a hundred; ASCII letters are rare.
static int byte_rank(uint8_t b) {
    if (b >= 0xE2 && b <= 0xEF) return 250;
    if (b == ' ' || b == '\n') return 200;
    if (b >= '0' && b <= '9') return 120;
    if (b >= 0x80 && b <= 0xBF) return 60;
    return 40;
}

/// The two rarest bytes of the needle, at different offsets; among equally rare ones the
/// second is the farthest from the first, so that the pair spans two characters (科创: a
/// continuation byte of 科 and one of 创, not two of 科, which is common on its own).
static void rare_pair(const uint8_t *needle, size_t needle_len, size_t *i1, size_t *i2) {
    size_t a = 0;
    for (size_t k = 0; k < needle_len; k++)
        if (byte_rank(needle[k]) < byte_rank(needle[a])) a = k;
    size_t b = a == 0 ? 1 : 0;
    for (size_t k = 0; k < needle_len; k++) {
        if (k == a) continue;
        int rk = byte_rank(needle[k]), rb = byte_rank(needle[b]);
        size_t dk = k > a ? k - a : a - k, db = b > a ? b - a : a - b;
        if (rk < rb || (rk == rb && dk > db)) b = k;
    }
    *i1 = a;
    *i2 = b;
}

/// The positions from `pos` on that the vector loops leave, one at a time.
static long find_rest(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len,
                      size_t i1, size_t pos) {
    for (; pos + needle_len <= hay_len; pos++)
        if (hay[pos + i1] == needle[i1] && memcmp(hay + pos, needle, needle_len) == 0) return (long)pos;
    return -1;
}

/// The same filter 32 positions at a time, on processors with AVX2 (chosen at run time).
__attribute__((target("avx2")))
static long find_avx2(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len,
                      size_t i1, size_t i2) {
    const __m256i b1 = _mm256_set1_epi8((char)needle[i1]);
    const __m256i b2 = _mm256_set1_epi8((char)needle[i2]);
    size_t pos = 0;
    while (pos + 31 + needle_len <= hay_len) {
        __m256i c1 = _mm256_loadu_si256((const __m256i *)(hay + pos + i1));
        __m256i c2 = _mm256_loadu_si256((const __m256i *)(hay + pos + i2));
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(c1, b1), _mm256_cmpeq_epi8(c2, b2)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(hay + pos + bit, needle, needle_len) == 0) return (long)(pos + bit);
            mask &= mask - 1;
        }
        pos += 32;
    }
    return find_rest(hay, hay_len, needle, needle_len, i1, pos);
}

static int has_avx2(void) {
    static atomic_int known = 0;  // 0 unknown, 1 no, 2 yes
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k == 0) {
        __builtin_cpu_init();
        k = __builtin_cpu_supports("avx2") ? 2 : 1;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k == 2;
}

long jb_find(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len) {
    size_t i1 = 0, i2 = 0;
    if (needle_len >= 2) rare_pair(needle, needle_len, &i1, &i2);
    return jb_find_planned(hay, hay_len, needle, needle_len, i1, i2, has_avx2());
}

void jb_find_plan(const uint8_t *needle, size_t needle_len, size_t *i1, size_t *i2, int *avx2) {
    *i1 = 0;
    *i2 = 0;
    if (needle_len >= 2) rare_pair(needle, needle_len, i1, i2);
    *avx2 = has_avx2();
}

long jb_find_planned(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len,
                     size_t i1, size_t i2, int avx2) {
    if (needle_len == 0) return 0;
    if (needle_len > hay_len) return -1;
    if (needle_len == 1) {
        const uint8_t *hit = memchr(hay, needle[0], hay_len);
        return hit ? (long)(hit - hay) : -1;
    }
    if (avx2 && hay_len >= 64) return find_avx2(hay, hay_len, needle, needle_len, i1, i2);
    const __m128i b1 = _mm_set1_epi8((char)needle[i1]);
    const __m128i b2 = _mm_set1_epi8((char)needle[i2]);
    size_t pos = 0;
    // Every start in pos..pos+15 leaves room for the whole needle, so both loads stay inside.
    while (pos + 15 + needle_len <= hay_len) {
        __m128i c1 = _mm_loadu_si128((const __m128i *)(hay + pos + i1));
        __m128i c2 = _mm_loadu_si128((const __m128i *)(hay + pos + i2));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(c1, b1), _mm_cmpeq_epi8(c2, b2)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(hay + pos + bit, needle, needle_len) == 0) return (long)(pos + bit);
            mask &= mask - 1;
        }
        pos += 16;
    }
    return find_rest(hay, hay_len, needle, needle_len, i1, pos);
}

size_t jb_count_occurrences(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len) {
    if (needle_len == 0) return 0;
    size_t count = 0;
    const uint8_t *p = hay, *end = hay + hay_len;
    while (p < end) {
        long at = jb_find(p, (size_t)(end - p), needle, needle_len);
        if (at < 0) break;
        count++;
        p += at + needle_len;
    }
    return count;
}

static inline uint64_t has_zero_byte(uint64_t v) {
    return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
}

size_t jb_find_tsv_special(const uint8_t *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (has_zero_byte(w ^ 0x0909090909090909ULL) | has_zero_byte(w ^ 0x0A0A0A0A0A0A0A0AULL)
            | has_zero_byte(w ^ 0x0D0D0D0D0D0D0D0DULL) | has_zero_byte(w ^ 0x5C5C5C5C5C5C5C5CULL)) break;
    }
    for (; i < n; i++) {
        uint8_t b = p[i];
        if (b == 0x09 || b == 0x0A || b == 0x0D || b == 0x5C) return i;
    }
    return n;
}

/* Read by evaluation threads, written by the main thread and the SIGINT handler: a lock-free
   atomic is both async-signal-safe and free of data races (a volatile sig_atomic_t is only
   the first; ThreadSanitizer reported the race). */
static atomic_int interrupt_flag = 0;

void jb_interrupt_set(int value) { atomic_store_explicit(&interrupt_flag, value, memory_order_relaxed); }
int jb_interrupt_requested(void) { return atomic_load_explicit(&interrupt_flag, memory_order_relaxed); }

static void on_sigint(int signo) { (void)signo; atomic_store_explicit(&interrupt_flag, 1, memory_order_relaxed); }

void jb_interrupt_handle_sigint(int on) {
    struct sigaction action = {0};
    action.sa_handler = on ? on_sigint : SIG_DFL;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    if (on) {
        // A program started by one whose threads block signals inherits the block: Ctrl-C
        // would then do nothing. Unblock it for this thread (the one that runs statements).
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
}

// Files being written through a temporary name (.output/.once): a signal that ends the
// program removes the temporary file and says that the target was left as it was.
#define JB_PENDING_MAX 8
static char *pending_paths[JB_PENDING_MAX];
static char *pending_messages[JB_PENDING_MAX];
static atomic_int pending_used[JB_PENDING_MAX];

int jb_pending_file_add(const char *path, const char *message) {
    for (int i = 0; i < JB_PENDING_MAX; i++) {
        if (atomic_load(&pending_used[i])) continue;
        free(pending_paths[i]);
        free(pending_messages[i]);
        pending_paths[i] = strdup(path);
        pending_messages[i] = strdup(message);
        atomic_store(&pending_used[i], 1);
        return i;
    }
    return -1;
}

void jb_pending_file_remove(int slot) {
    if (slot >= 0 && slot < JB_PENDING_MAX) atomic_store(&pending_used[slot], 0);
}

static void on_fatal_signal(int signo) {
    for (int i = 0; i < JB_PENDING_MAX; i++) {
        if (!atomic_load(&pending_used[i])) continue;
        unlink(pending_paths[i]);
        ssize_t ignored = write(2, pending_messages[i], strlen(pending_messages[i]));
        (void)ignored;
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

void jb_pending_files_watch_signals(void) {
    int signals[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old;
        // Only where the signal would end the program: the shell's SIGINT handler and a
        // parent's SIG_IGN (nohup) stay.
        if (sigaction(signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL) continue;
        struct sigaction action = {0};
        action.sa_handler = on_fatal_signal;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
        // Inherited blocked (a parent whose threads block signals): a SIGTERM would wait
        // until exit and the old file would be replaced after all. Unblock it here.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, signals[i]);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
}

#include <malloc.h>
void jb_malloc_single_arena(void) { mallopt(M_ARENA_MAX, 1); }
void jb_malloc_reuse_large_blocks(void) { mallopt(M_MMAP_THRESHOLD, 32 << 20); }

int jb_can_allocate(size_t size) {
    void *volatile probe = malloc(size);
    if (probe == NULL) return 0;
    free(probe);
    return 1;
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


size_t jb_normalise_candidate(const uint8_t *p, size_t n) {
    size_t i = 0;
#ifdef __SSE2__
    // Sixteen lead bytes at a time, each with the byte after it.
    for (; i + 17 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i c = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(b, _mm_set1_epi8(0x1F)), b);
        __m128i layout = _mm_or_si128(_mm_or_si128(equal_to(b, 0x09), equal_to(b, 0x0A)), equal_to(b, 0x0D));
        __m128i hit = _mm_or_si128(_mm_andnot_si128(layout, low), equal_to(b, 0x7F));
        hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xC2), in_range(c, 0x80, 0x2D)));
        hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xE2),
                                              _mm_or_si128(in_range(c, 0x80, 0x01), in_range(c, 0xBA, 0x05))));
        hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xEF),
                                              _mm_or_si128(in_range(c, 0xA4, 0x07), equal_to(c, 0xBB))));
        hit = _mm_or_si128(hit, _mm_and_si128(equal_to(b, 0xF0), equal_to(c, 0xAF)));
        int mask = _mm_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++) {
        if (is_candidate(p, i, n)) return i;
    }
    return n;
}
