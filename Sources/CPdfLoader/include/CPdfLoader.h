#ifndef CPDF_LOADER_H
#define CPDF_LOADER_H

#include <stddef.h>
#include <stdint.h>

// PDF text without linking poppler into the program: poppler (with nss, curl, lcms,
// openjpeg … through it) is 30 of the program's shared libraries and 12 MB at every start,
// while most corpora hold no PDF. CPdf, the code that uses poppler, is built as its own shared
// library, libJianbaoPdf.so (the package's JianbaoPdf product), and opened with dlopen the
// first time a PDF is read. A machine without libpoppler-cpp (or without the library) still
// reads every other form; each PDF then gets jb_pdf_unavailable's reason.

// The codes of CPdf.h, and one more.
enum {
    JB_PDF_LOADED_OK = 0,
    JB_PDF_LOADED_DAMAGED = 1,
    JB_PDF_LOADED_ENCRYPTED = 2,
    JB_PDF_LOADED_NO_MEMORY = 3,
    JB_PDF_UNAVAILABLE = 4  // libJianbaoPdf.so or a library it needs could not be opened
};

// CPdf's jb_pdf_lines (records of pages and lines, see CPdf.h) from the library, opened on
// the first call (thread-safe). Free the records with jb_pdf_loaded_free.
int jb_pdf_loaded_lines(const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length, int *pages);
void jb_pdf_loaded_free(uint8_t *buffer);

// Why PDF text is not available (dlerror's words), or NULL when it is; opens the library.
const char *jb_pdf_unavailable(void);

#endif
