#define _GNU_SOURCE
#include "CPdfLoader.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*lines_function)(const uint8_t *, size_t, uint8_t **, size_t *, int *);

static pthread_once_t opened = PTHREAD_ONCE_INIT;
static lines_function lines;
static char reason[512];

// Where the library is looked for, first found wins: beside the program (how SwiftPM lays
// out .build/debug and .build/release, and a test runner there), PREFIX/lib/jianbao for a
// program in PREFIX/bin (Scripts/install), then the dynamic linker's own search.
static void *open_library(void) {
    static const char *const beside[] = {"", "/../lib/jianbao"};
    char program[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", program, sizeof program - 1);
    if (n > 0) {
        program[n] = '\0';
        char *slash = strrchr(program, '/');
        if (slash != NULL) *slash = '\0';
        for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
            char path[PATH_MAX + 64];
            snprintf(path, sizeof path, "%s%s/libJianbaoPdf.so", program, beside[i]);
            if (access(path, F_OK) != 0) continue;
            void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            // Found but not loadable (libpoppler-cpp missing): that is the reason to give.
            if (library == NULL) snprintf(reason, sizeof reason, "%s", dlerror());
            return library;
        }
    }
    void *library = dlopen("libJianbaoPdf.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) snprintf(reason, sizeof reason, "%s", dlerror());
    return library;
}

static void open_once(void) {
    void *library = open_library();
    if (library == NULL) return;
    lines = (lines_function)dlsym(library, "jb_pdf_lines");
    if (lines == NULL) snprintf(reason, sizeof reason, "%s", dlerror());
}

const char *jb_pdf_unavailable(void) {
    pthread_once(&opened, open_once);
    return lines == NULL ? reason : NULL;
}

int jb_pdf_loaded_lines(const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length, int *pages) {
    *out = NULL;
    *out_length = 0;
    *pages = 0;
    if (jb_pdf_unavailable() != NULL) return JB_PDF_UNAVAILABLE;
    return lines(bytes, length, out, out_length, pages);
}

// CPdf allocates the records with malloc, from the same C library.
void jb_pdf_loaded_free(uint8_t *buffer) { free(buffer); }
