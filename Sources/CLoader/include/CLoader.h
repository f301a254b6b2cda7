#ifndef CLOADER_H
#define CLOADER_H

#include <stddef.h>
#include <stdint.h>
#include <CDocxCodes.h>

// The readers of forms other than UTF-8 text, kept out of the program and opened with dlopen
// the first time a file needs them, so that starting the program and loading UTF-8 text map
// none of their libraries:
// - libJianbaoPdf.so (the package's JianbaoPdf product, CPdf): PDF text through poppler,
//   which with nss, curl, lcms, openjpeg … is 30 shared libraries and 12 MB;
// - libJianbaoForms.so (the JianbaoForms product, CMarkup and CDetect): Word and web pages
//   through libxml2 and libzip (with libz, libbz2, libcrypto), and ICU's charset detector
//   (libicui18n), asked only about a file that is neither UTF-8 nor a Chinese encoding.
// Each is looked for beside the program (how SwiftPM lays out .build/debug and
// .build/release, and a test runner there), then in PREFIX/lib/jianbao for a program in
// PREFIX/bin (Scripts/install), then on the dynamic linker's own path. A machine without one
// (or without a library it needs) still reads every other form; each file that needed it
// gets the reason, jb_pdf_unavailable's or jb_forms_unavailable's.

// ---- PDF ----

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

// ---- Word, web pages, charset detection ----

// Returned by every jb_forms_loaded_* function below when libJianbaoForms.so could not be
// opened; the other codes are CMarkup's and CDetect's (see their headers).
enum { JB_FORMS_UNAVAILABLE = -100 };

// CMarkup.h's functions of the same name without `forms_loaded_` (free: jb_markup_free);
// jb_forms_loaded_docx_document_xml returns CDocxCodes.h's codes.
int jb_forms_loaded_docx_document_xml(const uint8_t *bytes, size_t length, size_t limit,
                                      uint8_t **out, size_t *out_length, uint64_t *size);
int jb_forms_loaded_docx_records(const uint8_t *xml, size_t length, uint8_t **out, size_t *out_length);
int jb_forms_loaded_html_records(const uint8_t *html, size_t length, uint8_t **out, size_t *out_length);
int jb_forms_loaded_html_declared_charset(const uint8_t *html, size_t length, char *name, size_t capacity);
void jb_forms_loaded_free(uint8_t *buffer);

// CDetect.h's jb_detect_charset; JB_FORMS_UNAVAILABLE (below its -1, "no guess") without
// the library.
int jb_forms_loaded_detect_charset(const uint8_t *bytes, size_t length, char *name, size_t capacity);

// Why Word files and web pages cannot be read (dlerror's words), or NULL when they can;
// opens the library.
const char *jb_forms_unavailable(void);

#endif
