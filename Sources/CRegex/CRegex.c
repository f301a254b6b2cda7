#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include "CRegex.h"
#include "CBytes.h"

/// Backtracking steps one search may take; (a+)+b over a paragraph of a's reaches it at once,
/// while ordinary patterns over a paragraph stay far below it.
#define JB_MATCH_LIMIT 5000000

struct jb_regex {
    pcre2_code *code;
    pcre2_match_context *context;
    int jit;
};

jb_regex *jb_regex_compile(const uint8_t *pattern, size_t length, int caseless,
                           char *error, size_t error_size, size_t *error_offset) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    uint32_t options = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
    pcre2_code *compiled = pcre2_compile(pattern, length, options, &code, &offset, NULL);
    if (!compiled) {
        pcre2_get_error_message(code, (PCRE2_UCHAR *)error, error_size);
        *error_offset = offset;
        return NULL;
    }
    jb_regex *re = calloc(1, sizeof *re);
    if (!re) { pcre2_code_free(compiled); return NULL; }
    re->code = compiled;
    re->jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
    re->context = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(re->context, JB_MATCH_LIMIT);
    pcre2_set_depth_limit(re->context, JB_MATCH_LIMIT);
    return re;
}

int jb_regex_search(const jb_regex *re, const uint8_t *subject, size_t length, size_t start, int verify,
                    size_t *match_start, size_t *match_end) {
    // The corpus is repaired to valid UTF-8 at load, but a text mapped from a snapshot is not
    // checksummed (docs/SNAPSHOT.md): damage there can make it ill-formed, and PCRE2, told not
    // to check, then read outside its Unicode tables (SIGSEGV). So such a subject (`verify`) is checked here,
    // with the SSE2 validator (PCRE2's own check is slower, and PCRE2_MATCH_INVALID_UTF made
    // the engine itself up to a third slower on patterns of classes such as \d or \p{Han});
    // an ill-formed subject matches nothing. Only the search from the subject's beginning
    // checks it: a caller that goes on through the same subject (kwic, one search after each
    // match) starts there, so a paragraph with many matches is not checked once per match.
    size_t bad = 0;
    if (verify && start == 0 && jb_utf8_find_invalid(subject, length, &bad) != length) {
        return 0;
    }
    // Match data per call: searches run on several threads at once.
    pcre2_match_data *data = pcre2_match_data_create(1, NULL);
    if (!data) return -2;
    int rc = pcre2_match(re->code, subject, length, start, PCRE2_NO_UTF_CHECK, data, re->context);
    int result;
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(data);
        *match_start = ov[0];
        *match_end = ov[1];
        result = 1;
    } else if (rc == PCRE2_ERROR_NOMATCH) {
        result = 0;
    } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
               || rc == PCRE2_ERROR_HEAPLIMIT) {
        result = -1;
    } else {
        result = -2;
    }
    pcre2_match_data_free(data);
    return result;
}

int jb_regex_is_jit(const jb_regex *re) { return re->jit; }

void jb_regex_free(jb_regex *re) {
    if (!re) return;
    pcre2_match_context_free(re->context);
    pcre2_code_free(re->code);
    free(re);
}
