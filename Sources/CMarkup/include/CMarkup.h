#ifndef CMARKUP_H
#define CMARKUP_H

#include <stddef.h>
#include <stdint.h>
#include <CDocxCodes.h>

// Text out of Word's document.xml (its ZIP archive read with libzip) and out of web pages,
// through libxml2's XML and HTML parsers (never a regular expression over tags). Built into
// libJianbaoForms.so and reached through CLoader, so that the program maps neither library
// until the first Word file or web page. The record functions return records in a new
// malloc'd buffer (free with jb_markup_free): one record a line, fields separated by 0x1F, text with
// no newline in it. Returns 0, or -1 when the parser gives up (not XML at all), -2 when
// memory runs out.

// Word's document.xml out of its ZIP archive bytes[0..<length], read with libzip from memory,
// into a new malloc'd buffer (*out, *out_length; free with jb_markup_free). *size is the
// unpacked size the archive's directory gives (for the too-large message). More than `limit`
// bytes unpacked is refused: a ZIP bomb must not take the machine's memory. Returns one of
// CDocxCodes.h's codes.
int jb_docx_document_xml(const uint8_t *bytes, size_t length, size_t limit,
                         uint8_t **out, size_t *out_length, uint64_t *size);

// Word: one record per line of text, `KIND 0x1F TEXT`. KIND is `p` (a paragraph), `h` (a
// paragraph styled as a heading of outline level 1, or `Heading1`/`标题 1`), `b` (a paragraph
// wholly bold), `t` (a table row: each cell's paragraphs joined by a space, cells by a tab).
// A line break (w:br, w:cr) inside a paragraph ends a line, and the rest is a new record of the
// same kind. Deleted text (w:delText) and field instructions (w:instrText) are left out.
int jb_docx_records(const uint8_t *xml, size_t length, uint8_t **out, size_t *out_length);

// A web page already converted to UTF-8 (its own charset declaration is ignored):
//   `m 0x1F NAME 0x1F CONTENT`  a meta tag (NAME is its name, property or http-equiv,
//                               lowercased; `<meta charset>` gives NAME `charset`);
//   `T 0x1F TEXT`               the page's <title>;
//   `TAG 0x1F FLAGS 0x1F TEXT`  one line of text: TAG is the innermost block element
//                               (p, div, h1 … h6, li, tr, td, pre, body …), FLAGS holds `x` when
//                               the line is inside navigation, header, footer, aside, a form or
//                               an element whose class or id names one (nav, menu, footer …),
//                               and `c` inside a breadcrumb or "position" element.
// Lines end at block elements and at <br>; table cells of a row are joined by a tab. Script,
// style and template content is skipped; runs of spaces collapse to one (not inside <pre>).
int jb_html_records(const uint8_t *html, size_t length, uint8_t **out, size_t *out_length);

// The charset a page declares (`<meta charset>` or an http-equiv Content-Type), read with the
// HTML parser over the raw bytes; copied into name (at most capacity - 1 bytes). 0 when found.
int jb_html_declared_charset(const uint8_t *html, size_t length, char *name, size_t capacity);

void jb_markup_free(uint8_t *buffer);

#endif
