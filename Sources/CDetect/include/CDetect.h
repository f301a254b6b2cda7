#ifndef CDETECT_H
#define CDETECT_H

#include <stddef.h>
#include <stdint.h>

// ICU's charset detector (ucsdet, in libicui18n), behind a header that names no ICU type.
// Built into libJianbaoForms.so and reached through CLoader: it is asked only for a file
// that is neither UTF-8 nor GB18030 nor Big5, so the program need not map libicui18n.

// ICU's charset detector on bytes[0..<length]: its best guess copied into name (at most
// capacity - 1 bytes) and its confidence 0–100; -1 when it has none.
int jb_detect_charset(const uint8_t *bytes, size_t length, char *name, size_t capacity);

#endif
