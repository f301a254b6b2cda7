#ifndef JIANBAO_CBYTES_H
#define JIANBAO_CBYTES_H
#include <stddef.h>
#include <stdint.h>

/// Offset of the first byte at or after `p` that starts an ill-formed UTF-8 sequence,
/// or `n` when the rest is well formed. `*bad_len` receives the length of that
/// ill-formed part (Unicode's "maximal subpart", at least 1).
size_t jb_utf8_find_invalid(const uint8_t *p, size_t n, size_t *bad_len);

/// jb_utf8_find_invalid, which also notes in *change where the first scalar the normaliser
/// would change is (TextNormaliser; a superset: every Kangxi radical and compatibility
/// ideograph counts), or the offset returned when there is none before it. A well-formed file
/// with *change == n needs no normalising and holds no NUL: one pass over a clean file.
size_t jb_utf8_find_invalid_noting(const uint8_t *p, size_t n, size_t *bad_len, size_t *change);

/// Well-formed multi-byte UTF-8 sequences (*valid) and ill-formed parts (*invalid, each
/// maximal subpart once) in p[0..<n], in one pass: how much a file that is not valid UTF-8
/// still looks like UTF-8. With `settle` not 0 the scan stops as soon as the well-formed ones
/// can no longer reach a quarter of the ill-formed ones (4 × invalid > valid + what the rest
/// could hold), and returns 0; it returns 1 when it counted all n bytes.
int jb_utf8_sequence_counts(const uint8_t *p, size_t n, int settle, size_t *valid, size_t *invalid);

/// Number of Unicode scalars in well-formed UTF-8 (bytes that are not continuations).
size_t jb_count_scalars(const uint8_t *p, size_t n);

/// The offset `count` scalars after `from` (a scalar start) in well-formed UTF-8, or `end`
/// if the text ends first: where kwic's right context stops.
size_t jb_scalars_forward(const uint8_t *p, size_t from, size_t end, size_t count);

/// The offset of the scalar `count` scalars before `from`, or `start` if the text begins
/// first: where kwic's left context starts. Eight bytes at a time, both.
size_t jb_scalars_backward(const uint8_t *p, size_t start, size_t from, size_t count);

/// memmem(3), which Swift's Glibc module does not expose. Returns the offset of the
/// first occurrence of the needle, or -1.
long jb_memmem(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

/// Like jb_memmem, but faster on CJK text: SSE2 compares 16 positions at a time against the
/// two rarest bytes of the needle (continuation bytes and ASCII rather than the common UTF-8
/// lead bytes E4–E9) and verifies only the few candidates. Returns the offset or -1.
long jb_find(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

/// What jb_find works out from the needle alone (its two rarest bytes, whether AVX2 is
/// there), for a caller that searches for one needle many times.
void jb_find_plan(const uint8_t *needle, size_t needle_len, size_t *i1, size_t *i2, int *avx2);

/// jb_find with the plan from jb_find_plan.
long jb_find_planned(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len,
                     size_t i1, size_t i2, int avx2);

/// Number of non-overlapping occurrences of the needle in the haystack.
size_t jb_count_occurrences(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

/// Offset of the first tab, newline, carriage return or backslash (the bytes TSV escapes),
/// or `n` when there is none; eight bytes at a time.
size_t jb_find_tsv_special(const uint8_t *p, size_t n);

/// The interrupt flag: set by the SIGINT handler (or a test), polled by long evaluations.
void jb_interrupt_set(int value);
int jb_interrupt_requested(void);
/// Installs a SIGINT handler that only sets the flag (sigaction, no SA_RESTART), or restores
/// the default action when `on` is 0.
void jb_interrupt_handle_sigint(int on);

/// Registers a file being written under a temporary name: a fatal signal (SIGTERM, SIGHUP,
/// SIGINT, SIGQUIT where they would end the program) unlinks it and writes `message` to
/// standard error. Returns a slot for jb_pending_file_remove, or -1 when all are taken.
int jb_pending_file_add(const char *path, const char *message);
void jb_pending_file_remove(int slot);
/// Installs the handler for those signals (only where their action is the default).
void jb_pending_files_watch_signals(void);

/// mallopt(M_ARENA_MAX, 1): one malloc arena for all threads (malloc.h is not in Swift's Glibc).
void jb_malloc_single_arena(void);
/// mallopt(M_MMAP_THRESHOLD, 32 MiB): blocks up to 32 MiB come from the heap and are reused
/// there, instead of each being a mapping of its own whose pages are faulted in fresh.
void jb_malloc_reuse_large_blocks(void);

/// Whether malloc gives `size` bytes now (they are freed at once). In C behind a volatile
/// pointer: the optimiser removes a malloc whose memory is only freed, and did so for the
/// same probe written in Swift (release builds never asked).
int jb_can_allocate(size_t size);

/// Offset of the first byte in p[0..<n] that may start something the normaliser changes
/// (a control character, U+00A0, zero-width and other spaces, Kangxi radicals, CJK
/// compatibility ideographs), or n: sixteen bytes at a time, each with the byte after it, so
/// that full-width punctuation (EF BC …), everywhere in Chinese text, does not stop the scan.
size_t jb_normalise_candidate(const uint8_t *p, size_t n);

#endif
