#ifndef CCONVERT_H
#define CCONVERT_H

#include <stddef.h>
#include <stdint.h>

// Text conversion to UTF-8 with ICU's converters (ucnv) and ICU's NFKC data for single
// characters, behind a header that names no ICU type (importing system ICU and Foundation into
// one Swift module fails; docs/PLATFORM.md of the shared notes). All of it is in libicuuc;
// the charset detector (libicui18n) is CDetect's, opened only when needed.

// What a decoding found in the text it wrote, for telling encodings apart (FORMAT.md
// "Encodings").
typedef struct {
    size_t scalars;     // every scalar, U+FFFD for each bad sequence included
    size_t plausible;   // printable ASCII and line ends, U+00A0–00FF, general and CJK
                        // punctuation, ideographs U+3400–9FFF, full-width forms, U+FEFF
    size_t ideographs;  // U+3400–9FFF and U+20000–3FFFF
    size_t common;      // ideographs whose bit is set in the caller's table
} jb_text_counts;

// Converts bytes[0..<length] in the ICU converter `encoding` ("GB18030", "Big5", "UTF-16LE" …)
// to UTF-8 in a new malloc'd buffer (*out, *out_length; free with jb_convert_free). Bytes that
// are not valid in the encoding become U+FFFD; *errors counts them and *first_error is the
// byte offset of the first (or -1). When counts is not NULL the text written is counted on
// the way, common ideographs by `common` (one bit per BMP code point, 1,024 words). Returns
// 0, or -1 when ICU has no converter of that name, -2 when memory runs out, -3 when counts
// is given without `common`.
int jb_convert_to_utf8(const char *encoding, const uint8_t *bytes, size_t length, const uint64_t *common,
                       uint8_t **out, size_t *out_length, size_t *errors, long *first_error,
                       jb_text_counts *counts);
void jb_convert_free(uint8_t *buffer);

// The counts jb_convert_to_utf8 would give for bytes[0..<length] as UTF-16 (big-endian when
// big_endian is not 0) without converting: a surrogate pair is one scalar, an unpaired
// surrogate and a last odd byte are each an error and a U+FFFD (a high surrogate in the last
// unit and the odd byte after it are one), as ICU's converter has them.
// Common ideographs are not counted. For telling the byte order of UTF-16 without a BOM.
// The count stops early, returning 0, once more than give_up scalars were not plausible
// (checked every 256 units); it returns 1 when it counted everything.
int jb_utf16_counts(const uint8_t *bytes, size_t length, int big_endian, size_t give_up,
                    jb_text_counts *counts, size_t *errors);

// Whether ICU has a converter for this name (aliases such as "gbk", "cp936" included).
int jb_encoding_known(const char *encoding);

// ICU's canonical name for an encoding alias, copied into name[0..<capacity]; 0 on success.
int jb_encoding_canonical(const char *encoding, char *name, size_t capacity);

// The NFKC mapping of one scalar when it is a single other scalar (a Kangxi radical or a
// CJK compatibility ideograph to its unified ideograph); 0 otherwise.
uint32_t jb_nfkc_single(uint32_t scalar);

#endif
