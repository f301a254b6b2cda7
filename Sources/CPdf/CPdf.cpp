#include "CPdf.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

namespace {

void silent(const std::string &, void *) {}

// poppler prints syntax errors of damaged files to standard error unless told otherwise.
void silence_poppler() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(silent, nullptr); });
}

// One line being gathered from the words of a page.
struct Line {
    double x1 = 0, x2 = 0, top = 0, bottom = 0, size = 0;
    std::string text;
    bool space_pending = false;
};

void put_number(std::string &out, double value) {
    char number[32];
    std::snprintf(number, sizeof number, "%.1f", value);
    out += number;
}

void put_line(std::string &out, const Line &line) {
    if (line.text.empty()) return;
    out += "L\x1f";
    put_number(out, line.x1);
    out += '\x1f';
    put_number(out, line.x2);
    out += '\x1f';
    put_number(out, line.size);
    out += '\x1f';
    out += line.text;
    out += '\n';
}

void put_word(Line &line, const poppler::text_box &word) {
    poppler::byte_array utf8 = word.text().to_utf8();
    if (utf8.empty()) return;
    if (line.space_pending) line.text += ' ';
    for (char c : utf8) line.text += (c == '\n' || c == '\r' || c == 0x1F) ? ' ' : c;
    line.space_pending = word.has_space_after();
}

}  // namespace

extern "C" void jb_pdf_free(uint8_t *buffer) { std::free(buffer); }

extern "C" int jb_pdf_lines(const uint8_t *bytes, size_t length, uint8_t **out, size_t *out_length, int *pages) {
    *out = nullptr;
    *out_length = 0;
    *pages = 0;
    silence_poppler();
    if (length > 0x7fffffff) return JB_PDF_DAMAGED;
    try {
        std::unique_ptr<poppler::document> document(
            poppler::document::load_from_raw_data(reinterpret_cast<const char *>(bytes), static_cast<int>(length)));
        if (!document) {
            // poppler returns no document for a wrong password as for a broken file; an
            // encrypted file is told by its trailer's /Encrypt, which the loader checks first.
            return JB_PDF_DAMAGED;
        }
        if (document->is_locked()) return JB_PDF_ENCRYPTED;
        std::string text;
        int count = document->pages();
        *pages = count;
        for (int i = 0; i < count; i++) {
            std::unique_ptr<poppler::page> page(document->create_page(i));
            text += "P\x1f";
            if (!page) { text += "0\n"; continue; }
            put_number(text, page->page_rect().width());
            text += '\n';
            Line line;
            bool open = false;
            for (const poppler::text_box &word : page->text_list(poppler::page::text_list_include_font)) {
                poppler::rectf box = word.bbox();
                double top = box.y(), bottom = box.y() + box.height();
                double middle = (top + bottom) / 2;
                // A word on the same line overlaps it vertically and does not go back left.
                bool same = open && middle > line.top && middle < line.bottom && box.x() >= line.x2 - box.height();
                if (!same) {
                    if (open) put_line(text, line);
                    line = Line();
                    line.x1 = box.x();
                    line.top = top;
                    line.bottom = bottom;
                    line.size = word.has_font_info() ? word.get_font_size() : box.height();
                    open = true;
                }
                line.x2 = std::fmax(line.x2, box.x() + box.width());
                put_word(line, word);
            }
            if (open) put_line(text, line);
        }
        uint8_t *buffer = static_cast<uint8_t *>(std::malloc(text.size() + 1));
        if (buffer == nullptr) return JB_PDF_NO_MEMORY;
        std::memcpy(buffer, text.data(), text.size());
        *out = buffer;
        *out_length = text.size();
        return JB_PDF_OK;
    } catch (const std::bad_alloc &) {
        return JB_PDF_NO_MEMORY;
    } catch (...) {
        return JB_PDF_DAMAGED;
    }
}
