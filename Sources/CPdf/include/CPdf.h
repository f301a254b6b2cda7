#ifndef CPDF_H
#define CPDF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// The text of a PDF with its line geometry, through poppler (Debian's libpoppler-cpp-dev),
// behind a header that names no poppler type. poppler's own error messages are silenced:
// the reader reports what went wrong itself.

enum {
    JB_PDF_OK = 0,
    JB_PDF_DAMAGED = 1,    // not a PDF poppler can open (truncated, corrupt)
    JB_PDF_ENCRYPTED = 2,  // needs a password
    JB_PDF_NO_MEMORY = 3
};

// Records in a new malloc'd buffer (free with jb_pdf_free), one a line, fields split by 0x1F:
//   `P 0x1F WIDTH`                      a new page and its width in points;
//   `L 0x1F X1 0x1F X2 0x1F SIZE 0x1F TEXT`  one line of text in reading order (poppler's
//                                       column detection), its left and right edges and font
//                                       size in points; words joined by a space where the PDF
//                                       has one. *pages is the page count.
int jb_pdf_lines(const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length, int *pages);
void jb_pdf_free(uint8_t *buffer);

#ifdef __cplusplus
}
#endif

#endif
