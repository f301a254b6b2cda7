#define _GNU_SOURCE
#include "CLoader.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// One library opened on demand: its file name, the functions wanted from it (all or none are
// found), and why it could not be had.
typedef struct {
    const char *file;
    const char *const *names;
    void **functions;
    size_t count;
    char reason[512];
} library;

// Where the library is looked for, first found wins: beside the program, PREFIX/lib/jianbao
// for a program in PREFIX/bin, then the dynamic linker's own search.
static void *open_library(library *l) {
    static const char *const beside[] = {"", "/../lib/jianbao"};
    char program[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", program, sizeof program - 1);
    if (n > 0) {
        program[n] = '\0';
        char *slash = strrchr(program, '/');
        if (slash != NULL) *slash = '\0';
        for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
            char path[PATH_MAX + 64];
            snprintf(path, sizeof path, "%s%s/%s", program, beside[i], l->file);
            if (access(path, F_OK) != 0) continue;
            void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            // Found but not loadable (a library it needs is missing): that is the reason to give.
            if (handle == NULL) snprintf(l->reason, sizeof l->reason, "%s", dlerror());
            return handle;
        }
    }
    void *handle = dlopen(l->file, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) snprintf(l->reason, sizeof l->reason, "%s", dlerror());
    return handle;
}

static void open_functions(library *l) {
    void *handle = open_library(l);
    if (handle == NULL) return;
    for (size_t i = 0; i < l->count; i++) {
        void *function = dlsym(handle, l->names[i]);
        if (function == NULL) {
            snprintf(l->reason, sizeof l->reason, "%s", dlerror());
            memset(l->functions, 0, l->count * sizeof *l->functions);
            return;
        }
        l->functions[i] = function;
    }
}

// ---- PDF ----

typedef int (*pdf_lines_function)(const uint8_t *, size_t, uint8_t **, size_t *, int *);

static const char *const pdf_names[] = {"jb_pdf_lines"};
static void *pdf_functions[1];
static library pdf = {"libJianbaoPdf.so", pdf_names, pdf_functions, 1, ""};
static pthread_once_t pdf_opened = PTHREAD_ONCE_INIT;
static void open_pdf(void) { open_functions(&pdf); }

const char *jb_pdf_unavailable(void) {
    pthread_once(&pdf_opened, open_pdf);
    return pdf_functions[0] == NULL ? pdf.reason : NULL;
}

int jb_pdf_loaded_lines(const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length, int *pages) {
    *out = NULL;
    *out_length = 0;
    *pages = 0;
    if (jb_pdf_unavailable() != NULL) return JB_PDF_UNAVAILABLE;
    return ((pdf_lines_function)pdf_functions[0])(bytes, length, out, out_length, pages);
}

// CPdf allocates the records with malloc, from the same C library.
void jb_pdf_loaded_free(uint8_t *buffer) { free(buffer); }

// ---- Word, web pages, charset detection ----

enum { DOCX_DOCUMENT_XML, DOCX_RECORDS, HTML_RECORDS, HTML_DECLARED_CHARSET, DETECT_CHARSET, FORMS_COUNT };
static const char *const forms_names[FORMS_COUNT] = {
    "jb_docx_document_xml", "jb_docx_records", "jb_html_records", "jb_html_declared_charset", "jb_detect_charset",
};
static void *forms_functions[FORMS_COUNT];
static library forms = {"libJianbaoForms.so", forms_names, forms_functions, FORMS_COUNT, ""};
static pthread_once_t forms_opened = PTHREAD_ONCE_INIT;
static void open_forms(void) { open_functions(&forms); }

const char *jb_forms_unavailable(void) {
    pthread_once(&forms_opened, open_forms);
    return forms_functions[0] == NULL ? forms.reason : NULL;
}

typedef int (*document_xml_function)(const uint8_t *, size_t, size_t, uint8_t **, size_t *, uint64_t *);
typedef int (*records_function)(const uint8_t *, size_t, uint8_t **, size_t *);
typedef int (*name_function)(const uint8_t *, size_t, char *, size_t);

int jb_forms_loaded_docx_document_xml(const uint8_t *bytes, size_t length, size_t limit,
                                      uint8_t **out, size_t *out_length, uint64_t *size) {
    *out = NULL;
    *out_length = 0;
    *size = 0;
    if (jb_forms_unavailable() != NULL) return JB_FORMS_UNAVAILABLE;
    return ((document_xml_function)forms_functions[DOCX_DOCUMENT_XML])(bytes, length, limit, out, out_length, size);
}

static int records(int which, const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    if (jb_forms_unavailable() != NULL) return JB_FORMS_UNAVAILABLE;
    return ((records_function)forms_functions[which])(bytes, length, out, out_length);
}

int jb_forms_loaded_docx_records(const uint8_t *xml, size_t length, uint8_t **out, size_t *out_length) {
    return records(DOCX_RECORDS, xml, length, out, out_length);
}

int jb_forms_loaded_html_records(const uint8_t *html, size_t length, uint8_t **out, size_t *out_length) {
    return records(HTML_RECORDS, html, length, out, out_length);
}

static int name(int which, const uint8_t *bytes, size_t length, char *name, size_t capacity) {
    if (jb_forms_unavailable() != NULL) return JB_FORMS_UNAVAILABLE;
    return ((name_function)forms_functions[which])(bytes, length, name, capacity);
}

int jb_forms_loaded_html_declared_charset(const uint8_t *html, size_t length, char *found, size_t capacity) {
    return name(HTML_DECLARED_CHARSET, html, length, found, capacity);
}

int jb_forms_loaded_detect_charset(const uint8_t *bytes, size_t length, char *found, size_t capacity) {
    return name(DETECT_CHARSET, bytes, length, found, capacity);
}

// CMarkup allocates its buffers with malloc, from the same C library.
void jb_forms_loaded_free(uint8_t *buffer) { free(buffer); }
