#ifndef JIANBAO_CREGEX_H
#define JIANBAO_CREGEX_H
#include <stddef.h>
#include <stdint.h>

// PCRE2 (Debian's libpcre2-dev) behind a header that exposes no PCRE2 types, so Swift sees a
// small fixed API: UTF-8 mode with Unicode properties, JIT when available, and a match limit
// that turns catastrophic backtracking into an error instead of a hang.

typedef struct jb_regex jb_regex;

/// Compiles a pattern; NULL on error with a message and the offset (in bytes) of the problem.
jb_regex *jb_regex_compile(const uint8_t *pattern, size_t length, int caseless,
                           char *error, size_t error_size, size_t *error_offset);

/// Searches `subject[start..<length]`: 1 with the match's byte range, 0 for no match,
/// -1 when the match limit was reached, -2 for any other failure. With `verify` (a subject that
/// may not be UTF-8: a text mapped from a snapshot), a search with `start` 0 first checks that
/// the subject is UTF-8 (0 when it is not); one with a later `start` relies on an earlier
/// search of the same subject from 0 (as kwic's searches after each match do).
int jb_regex_search(const jb_regex *re, const uint8_t *subject, size_t length, size_t start, int verify,
                    size_t *match_start, size_t *match_end);

/// Whether the pattern was JIT-compiled.
int jb_regex_is_jit(const jb_regex *re);

void jb_regex_free(jb_regex *re);

#endif
