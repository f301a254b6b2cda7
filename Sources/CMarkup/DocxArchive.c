#include "CMarkup.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

// The entry that holds the document: word/document.xml, else the first file entry under
// word/ whose name ends in document.xml (some writers name the part otherwise).
static zip_int64_t document_entry(zip_t *archive) {
    zip_int64_t exact = zip_name_locate(archive, "word/document.xml", 0);
    if (exact >= 0) return exact;
    zip_int64_t entries = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < entries; i++) {
        const char *name = zip_get_name(archive, (zip_uint64_t)i, 0);
        if (name == NULL) continue;
        size_t n = strlen(name);
        if (n >= 5 + 12 && strncmp(name, "word/", 5) == 0 && strcmp(name + n - 12, "document.xml") == 0) return i;
    }
    return -1;
}

static int unpack(zip_t *archive, zip_int64_t entry, size_t limit, uint8_t **out, size_t *out_length, uint64_t *size) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, (zip_uint64_t)entry, 0, &stat) != 0) return JB_DOCX_DAMAGED;
    if (stat.valid & ZIP_STAT_SIZE) {
        *size = stat.size;
        if (stat.size > limit) return JB_DOCX_TOO_LARGE;
    }
    zip_file_t *file = zip_fopen_index(archive, (zip_uint64_t)entry, 0);
    if (file == NULL) return JB_DOCX_DAMAGED;
    // The size in the directory may lie: the data decides, and more than the limit is damage.
    size_t capacity = (stat.valid & ZIP_STAT_SIZE) && stat.size > 0 ? (size_t)stat.size : 4096;
    uint8_t *bytes = malloc(capacity + 1);
    size_t length = 0;
    int status = bytes == NULL ? JB_DOCX_NO_MEMORY : JB_DOCX_OK;
    while (status == JB_DOCX_OK) {
        // libzip checks the entry's CRC when its end is read.
        zip_int64_t n = zip_fread(file, bytes + length, capacity - length);
        if (n < 0) { status = JB_DOCX_DAMAGED; break; }
        length += (size_t)n;
        if (length < capacity) { if (n == 0) break; continue; }
        // Full: whether there is more is known only by reading on.
        uint8_t more[4096];
        n = zip_fread(file, more, sizeof more);
        if (n < 0) { status = JB_DOCX_DAMAGED; break; }
        if (n == 0) break;
        if (length + (size_t)n > limit) { status = JB_DOCX_DAMAGED; break; }
        size_t grown = capacity * 2 > limit ? limit : capacity * 2;
        if (grown < length + (size_t)n) grown = length + (size_t)n;
        uint8_t *bigger = realloc(bytes, grown + 1);
        if (bigger == NULL) { status = JB_DOCX_NO_MEMORY; break; }
        bytes = bigger;
        capacity = grown;
        memcpy(bytes + length, more, (size_t)n);
        length += (size_t)n;
    }
    if (zip_fclose(file) != 0 && status == JB_DOCX_OK) status = JB_DOCX_DAMAGED;
    if (status != JB_DOCX_OK) { free(bytes); return status; }
    *out = bytes;
    *out_length = length;
    return JB_DOCX_OK;
}

int jb_docx_document_xml(const uint8_t *bytes, size_t length, size_t limit,
                         uint8_t **out, size_t *out_length, uint64_t *size) {
    *out = NULL;
    *out_length = 0;
    *size = 0;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(length ? (const void *)bytes : (const void *)"", length, 0, &error);
    if (source == NULL) {
        int memory = zip_error_code_zip(&error) == ZIP_ER_MEMORY;
        zip_error_fini(&error);
        return memory ? JB_DOCX_NO_MEMORY : JB_DOCX_NOT_ZIP;
    }
    zip_t *archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == NULL) {
        int memory = zip_error_code_zip(&error) == ZIP_ER_MEMORY;
        zip_source_free(source);
        zip_error_fini(&error);
        return memory ? JB_DOCX_NO_MEMORY : JB_DOCX_NOT_ZIP;
    }
    zip_error_fini(&error);
    zip_int64_t entry = document_entry(archive);
    int status = entry < 0 ? JB_DOCX_NO_DOCUMENT : unpack(archive, entry, limit, out, out_length, size);
    zip_discard(archive);
    return status;
}
