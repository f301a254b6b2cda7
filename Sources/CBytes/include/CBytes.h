#ifndef JIANBAO_CBYTES_H
#define JIANBAO_CBYTES_H
#include <stddef.h>
#include <stdint.h>

/// Offset of the first byte at or after `p` that starts an ill-formed UTF-8 sequence,
/// or `n` when the rest is well formed. `*bad_len` receives the length of that
/// ill-formed part (Unicode's "maximal subpart", at least 1).
size_t jb_utf8_find_invalid(const uint8_t *p, size_t n, size_t *bad_len);

/// Number of Unicode scalars in well-formed UTF-8 (bytes that are not continuations).
size_t jb_count_scalars(const uint8_t *p, size_t n);

/// memmem(3), which Swift's Glibc module does not expose. Returns the offset of the
/// first occurrence of the needle, or -1.
long jb_memmem(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

/// Number of non-overlapping occurrences of the needle in the haystack.
size_t jb_count_occurrences(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

#endif
