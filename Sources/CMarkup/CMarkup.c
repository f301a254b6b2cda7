#define _GNU_SOURCE
#include "CMarkup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

// A growing output buffer.
typedef struct {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    int failed;
} buffer;

static void put(buffer *b, const void *data, size_t n) {
    if (b->failed || n == 0) return;
    if (b->length + n > b->capacity) {
        size_t grown = b->capacity ? b->capacity : 4096;
        while (grown < b->length + n) grown *= 2;
        uint8_t *bigger = realloc(b->bytes, grown);
        if (bigger == NULL) { b->failed = 1; return; }
        b->bytes = bigger;
        b->capacity = grown;
    }
    memcpy(b->bytes + b->length, data, n);
    b->length += n;
}

static void put_string(buffer *b, const char *s) { put(b, s, strlen(s)); }

// Text with newlines, carriage returns and 0x1F turned into spaces; other control
// characters are left for the normaliser.
static void put_text(buffer *b, const xmlChar *text) {
    if (text == NULL) return;
    for (const xmlChar *p = text; *p; p++) {
        uint8_t c = *p;
        if (c == '\n' || c == '\r' || c == 0x1F) c = ' ';
        put(b, &c, 1);
    }
}

static int finish(buffer *b, uint8_t **out, size_t *out_length) {
    if (b->failed) { free(b->bytes); return -2; }
    *out = b->bytes;
    *out_length = b->length;
    return 0;
}

void jb_markup_free(uint8_t *buffer) { free(buffer); }

// ---- Word ----------------------------------------------------------------------------

static int is_w(const xmlNode *node, const char *name) {
    return node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, (const xmlChar *)name) == 0 &&
           node->ns != NULL && node->ns->prefix != NULL && xmlStrcmp(node->ns->prefix, (const xmlChar *)"w") == 0;
}

// Word's attributes are namespaced (w:val); libxml2 finds them by local name.
static xmlChar *w_attribute(const xmlNode *node, const char *name) {
    for (xmlAttr *a = node->properties; a != NULL; a = a->next) {
        if (xmlStrcmp(a->name, (const xmlChar *)name) == 0) return xmlNodeGetContent((xmlNode *)a);
    }
    return NULL;
}

static const xmlNode *child(const xmlNode *node, const char *name) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next) if (is_w(c, name)) return c;
    return NULL;
}

// A paragraph's kind from its properties: a heading of level 1, else `p`.
static char paragraph_kind(const xmlNode *paragraph) {
    const xmlNode *properties = child(paragraph, "pPr");
    if (properties == NULL) return 'p';
    const xmlNode *outline = child(properties, "outlineLvl");
    if (outline != NULL) {
        xmlChar *v = w_attribute(outline, "val");
        int level0 = v != NULL && xmlStrcmp(v, (const xmlChar *)"0") == 0;
        xmlFree(v);
        if (level0) return 'h';
    }
    const xmlNode *style = child(properties, "pStyle");
    if (style != NULL) {
        xmlChar *v = w_attribute(style, "val");
        int heading = v != NULL && (xmlStrcasecmp(v, (const xmlChar *)"Heading1") == 0 ||
                                    xmlStrcmp(v, (const xmlChar *)"1") == 0 ||
                                    xmlStrstr(v, (const xmlChar *)"标题1") != NULL ||
                                    xmlStrstr(v, (const xmlChar *)"标题 1") != NULL);
        xmlFree(v);
        if (heading) return 'h';
    }
    return 'p';
}

// Whether a run is bold (w:b without w:val="0"/"false").
static int run_bold(const xmlNode *run) {
    const xmlNode *properties = child(run, "rPr");
    if (properties == NULL) return 0;
    const xmlNode *bold = child(properties, "b");
    if (bold == NULL) return 0;
    xmlChar *v = w_attribute(bold, "val");
    int off = v != NULL && (xmlStrcmp(v, (const xmlChar *)"0") == 0 || xmlStrcmp(v, (const xmlChar *)"false") == 0);
    xmlFree(v);
    return !off;
}

typedef struct {
    buffer *out;
    char kind;
    int bold_runs;
    int plain_runs;
    size_t line_start;  // where the current record begins in out
} paragraph_state;

static void start_record(paragraph_state *s) {
    s->line_start = s->out->length;
    put(s->out, &s->kind, 1);
    put_string(s->out, "\x1f");
}

// The text of a paragraph's runs, hyperlinks, smart tags and inserted text, in order.
static void runs_text(const xmlNode *node, paragraph_state *s, int in_row) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_w(c, "t")) {
            xmlChar *text = xmlNodeGetContent(c);
            put_text(s->out, text);
            if (text != NULL && *text) {
                if (run_bold(c->parent)) s->bold_runs++; else s->plain_runs++;
            }
            xmlFree(text);
        } else if (is_w(c, "tab")) {
            put_string(s->out, in_row ? " " : "\t");
        } else if (is_w(c, "br") || is_w(c, "cr")) {
            if (in_row) { put_string(s->out, " "); continue; }
            put_string(s->out, "\n");
            start_record(s);
        } else if (is_w(c, "delText") || is_w(c, "instrText") || is_w(c, "del") ||
                   is_w(c, "pPr") || is_w(c, "rPr") || is_w(c, "fldChar")) {
            continue;
        } else {
            runs_text(c, s, in_row);  // w:r, w:hyperlink, w:ins, w:smartTag, w:sdt …
        }
    }
}

static void paragraph(const xmlNode *p, buffer *out) {
    paragraph_state s = {out, paragraph_kind(p), 0, 0, 0};
    start_record(&s);
    size_t begin = out->length;
    runs_text(p, &s, 0);
    // A wholly bold one-line paragraph is a hint; rewrite its kind byte.
    if (s.kind == 'p' && s.bold_runs > 0 && s.plain_runs == 0 && s.line_start + 2 == begin && !out->failed) {
        out->bytes[s.line_start] = 'b';
    }
    put_string(out, "\n");
}

static void table(const xmlNode *tbl, buffer *out);

// A table row: one record, cells joined by a tab, a cell's paragraphs by a space. A nested
// table's rows follow as their own records.
static void row(const xmlNode *tr, buffer *out) {
    paragraph_state s = {out, 't', 0, 0, 0};
    start_record(&s);
    int cell_count = 0;
    const xmlNode *nested[16];
    int nested_count = 0;
    for (const xmlNode *tc = tr->children; tc != NULL; tc = tc->next) {
        if (!is_w(tc, "tc")) {
            if (is_w(tc, "sdt") || is_w(tc, "customXml")) {
                // Content controls wrapping cells: look one level in.
                for (const xmlNode *inner = tc->children; inner; inner = inner->next) {
                    if (is_w(inner, "sdtContent")) {
                        for (const xmlNode *cell = inner->children; cell; cell = cell->next) {
                            if (!is_w(cell, "tc")) continue;
                            if (cell_count++) put_string(out, "\t");
                            int first = 1;
                            for (const xmlNode *p = cell->children; p; p = p->next) {
                                if (!is_w(p, "p")) continue;
                                if (!first) put_string(out, " ");
                                first = 0;
                                runs_text(p, &s, 1);
                            }
                        }
                    }
                }
            }
            continue;
        }
        if (cell_count++) put_string(out, "\t");
        int first = 1;
        for (const xmlNode *p = tc->children; p != NULL; p = p->next) {
            if (is_w(p, "p")) {
                size_t before = out->length;
                if (!first) put_string(out, " ");
                runs_text(p, &s, 1);
                if (out->length == before + (first ? 0 : 1)) out->length = before;
                else first = 0;
            } else if (is_w(p, "tbl") && nested_count < 16) {
                nested[nested_count++] = p;
            }
        }
    }
    put_string(out, "\n");
    for (int i = 0; i < nested_count; i++) table(nested[i], out);
}

static void table(const xmlNode *tbl, buffer *out) {
    for (const xmlNode *c = tbl->children; c != NULL; c = c->next) {
        if (is_w(c, "tr")) row(c, out);
    }
}

// Block-level content in order: paragraphs, tables, and the content of content controls.
static void blocks(const xmlNode *node, buffer *out, int depth) {
    if (depth > 64) return;
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_w(c, "p")) paragraph(c, out);
        else if (is_w(c, "tbl")) table(c, out);
        else if (is_w(c, "sectPr")) continue;
        else blocks(c, out, depth + 1);  // w:sdt, w:sdtContent, w:customXml
    }
}

int jb_docx_records(const uint8_t *xml, size_t length, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    if (length > INT32_MAX) return -1;
    // No network, no entity expansion beyond the built-in ones, huge text nodes allowed.
    xmlDoc *doc = xmlReadMemory((const char *)xml, (int)length, "document.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (doc == NULL) return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    buffer b = {0};
    const xmlNode *body = root != NULL ? child(root, "body") : NULL;
    if (body == NULL) { xmlFreeDoc(doc); return -1; }
    blocks(body, &b, 0);
    xmlFreeDoc(doc);
    put(&b, "", 0);
    return finish(&b, out, out_length);
}

// ---- Web pages -----------------------------------------------------------------------

static int name_is(const xmlNode *node, const char *name) {
    return xmlStrcasecmp(node->name, (const xmlChar *)name) == 0;
}

static int is_block(const xmlNode *node) {
    static const char *const names[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "tbody",
        "thead", "pre", "blockquote", "section", "article", "main", "header", "footer", "nav",
        "aside", "dd", "dt", "dl", "body", "center", "form", "figure", "figcaption", "address",
        "hr", "caption", "fieldset", NULL};
    for (int i = 0; names[i]; i++) if (name_is(node, names[i])) return 1;
    return 0;
}

static int is_skipped(const xmlNode *node) {
    return name_is(node, "script") || name_is(node, "style") || name_is(node, "noscript") ||
           name_is(node, "template") || name_is(node, "head") || name_is(node, "select") ||
           name_is(node, "option") || name_is(node, "iframe") || name_is(node, "svg");
}

// Whether the lowercased attribute names one of the words.
static int attribute_names(const xmlNode *node, const char *attribute, const char *const *words) {
    xmlChar *value = xmlGetProp(node, (const xmlChar *)attribute);
    if (value == NULL) return 0;
    for (xmlChar *p = value; *p; p++) *p = (xmlChar)tolower(*p);
    int found = 0;
    for (int i = 0; words[i] && !found; i++) found = strstr((const char *)value, words[i]) != NULL;
    xmlFree(value);
    return found;
}

static const char *const boilerplate_words[] = {
    "nav", "menu", "footer", "foot", "header", "sidebar", "side-bar", "copyright", "share",
    "toolbar", "login", "search", "banner", "friendlink", "links", "related", NULL};
static const char *const crumb_words[] = {"crumb", "position", "location", "dqwz", "curpos", "weizhi", NULL};

static int is_boilerplate(const xmlNode *node) {
    if (name_is(node, "nav") || name_is(node, "footer") || name_is(node, "header") ||
        name_is(node, "aside") || name_is(node, "form") || name_is(node, "button")) return 1;
    return attribute_names(node, "class", boilerplate_words) || attribute_names(node, "id", boilerplate_words);
}

static int is_crumb(const xmlNode *node) {
    return attribute_names(node, "class", crumb_words) || attribute_names(node, "id", crumb_words);
}

typedef struct {
    buffer *out;
    buffer line;          // the text of the line being gathered
    const char *tag;      // its innermost block element
    int flags_x, flags_c; // boilerplate, breadcrumb
    int pending_space;
    int cells;            // cells started in the current row
} html_state;

static void flush_line(html_state *s) {
    // Trim trailing spaces; a line of only spaces is no line.
    while (s->line.length && s->line.bytes[s->line.length - 1] == ' ') s->line.length--;
    if (s->line.length > 0) {
        put_string(s->out, s->tag);
        put_string(s->out, "\x1f");
        if (s->flags_x) put_string(s->out, "x");
        if (s->flags_c) put_string(s->out, "c");
        put_string(s->out, "\x1f");
        put(s->out, s->line.bytes, s->line.length);
        put_string(s->out, "\n");
    }
    if (s->line.failed) s->out->failed = 1;
    s->line.length = 0;
    s->pending_space = 0;
    s->cells = 0;
}

static void html_text(html_state *s, const xmlChar *text, int pre) {
    if (text == NULL) return;
    for (const xmlChar *p = text; *p; p++) {
        uint8_t c = *p;
        if (c == 0x1F) c = ' ';
        if (pre && c == '\n') { flush_line(s); continue; }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (pre) { put(&s->line, &c, 1); continue; }
            if (s->line.length > 0) s->pending_space = 1;
            continue;
        }
        if (s->pending_space) { put(&s->line, " ", 1); s->pending_space = 0; }
        put(&s->line, &c, 1);
    }
}

static void html_walk(html_state *s, const xmlNode *node, int pre, int depth) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            html_text(s, c->content, pre);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_skipped(c)) continue;
        if (name_is(c, "br")) { flush_line(s); continue; }
        if (depth > 256) continue;  // libxml2 limits nesting too; this keeps the C stack small
        if (name_is(c, "td") || name_is(c, "th")) {
            if (s->cells++ > 0 || s->line.length > 0) { put(&s->line, "\t", 1); s->pending_space = 0; }
            int saved_cells = s->cells;
            html_walk(s, c, pre, depth + 1);
            s->cells = saved_cells;
            continue;
        }
        if (!is_block(c)) { html_walk(s, c, pre || name_is(c, "pre"), depth + 1); continue; }
        flush_line(s);
        const char *saved_tag = s->tag;
        int saved_x = s->flags_x, saved_c = s->flags_c;
        // The tag name as a static string: the block names that matter, else `div`.
        const char *tag = "div";
        static const char *const known[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre",
                                            "blockquote", "td", "dd", "dt", "body", "article", "section", NULL};
        for (int i = 0; known[i]; i++) if (name_is(c, known[i])) { tag = known[i]; break; }
        s->tag = tag;
        if (is_boilerplate(c)) s->flags_x = 1;
        if (is_crumb(c)) s->flags_c = 1;
        html_walk(s, c, pre || name_is(c, "pre"), depth + 1);
        flush_line(s);
        s->tag = saved_tag;
        s->flags_x = saved_x;
        s->flags_c = saved_c;
    }
}

// Meta tags and the title, wherever they are (pages put them in the body too).
static void html_meta(buffer *out, const xmlNode *node, int depth) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || depth > 256) continue;
        if (name_is(c, "meta")) {
            xmlChar *content = xmlGetProp(c, (const xmlChar *)"content");
            xmlChar *charset = xmlGetProp(c, (const xmlChar *)"charset");
            xmlChar *key = xmlGetProp(c, (const xmlChar *)"name");
            if (key == NULL) key = xmlGetProp(c, (const xmlChar *)"property");
            if (key == NULL) key = xmlGetProp(c, (const xmlChar *)"http-equiv");
            if (charset != NULL) {
                put_string(out, "m\x1f" "charset\x1f");
                put_text(out, charset);
                put_string(out, "\n");
            }
            if (key != NULL && content != NULL) {
                for (xmlChar *p = key; *p; p++) *p = (xmlChar)tolower(*p);
                put_string(out, "m\x1f");
                put_text(out, key);
                put_string(out, "\x1f");
                put_text(out, content);
                put_string(out, "\n");
            }
            xmlFree(content);
            xmlFree(charset);
            xmlFree(key);
        } else if (name_is(c, "title")) {
            xmlChar *text = xmlNodeGetContent(c);
            put_string(out, "T\x1f");
            put_text(out, text);
            put_string(out, "\n");
            xmlFree(text);
        } else if (!name_is(c, "script") && !name_is(c, "style")) {
            html_meta(out, c, depth + 1);
        }
    }
}

static htmlDocPtr parse_html(const uint8_t *html, size_t length, const char *encoding, int ignore) {
    if (length > INT32_MAX) return NULL;
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS;
    if (ignore) options |= HTML_PARSE_IGNORE_ENC;
    return htmlReadMemory((const char *)html, (int)length, NULL, encoding, options);
}

int jb_html_records(const uint8_t *html, size_t length, uint8_t **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    htmlDocPtr doc = parse_html(html, length, "UTF-8", 1);
    if (doc == NULL) return -1;
    buffer b = {0};
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root != NULL) {
        html_meta(&b, (xmlNode *)doc, 0);
        html_state s = {&b, {0}, "body", 0, 0, 0, 0};
        html_walk(&s, (xmlNode *)doc, 0, 0);
        flush_line(&s);
        free(s.line.bytes);
    }
    xmlFreeDoc(doc);
    put(&b, "", 0);
    return finish(&b, out, out_length);
}

// The charset of a Content-Type value: `text/html; charset=gb2312`.
static int charset_of_content_type(const xmlChar *value, char *name, size_t capacity) {
    const char *at = strcasestr((const char *)value, "charset=");
    if (at == NULL) return -1;
    at += 8;
    while (*at == ' ' || *at == '"' || *at == '\'') at++;
    size_t n = 0;
    while (at[n] && at[n] != ';' && at[n] != ' ' && at[n] != '"' && at[n] != '\'') n++;
    if (n == 0 || n >= capacity) return -1;
    memcpy(name, at, n);
    name[n] = 0;
    return 0;
}

static int find_charset(const xmlNode *node, char *name, size_t capacity, int depth) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || depth > 256) continue;
        if (name_is(c, "meta")) {
            xmlChar *charset = xmlGetProp(c, (const xmlChar *)"charset");
            if (charset != NULL) {
                size_t n = strlen((const char *)charset);
                int ok = n > 0 && n < capacity;
                if (ok) memcpy(name, charset, n + 1);
                xmlFree(charset);
                if (ok) return 0;
            }
            xmlChar *equiv = xmlGetProp(c, (const xmlChar *)"http-equiv");
            xmlChar *content = xmlGetProp(c, (const xmlChar *)"content");
            int found = -1;
            if (equiv != NULL && content != NULL && xmlStrcasecmp(equiv, (const xmlChar *)"content-type") == 0) {
                found = charset_of_content_type(content, name, capacity);
            }
            xmlFree(equiv);
            xmlFree(content);
            if (found == 0) return 0;
        } else if (find_charset(c, name, capacity, depth + 1) == 0) {
            return 0;
        }
    }
    return -1;
}

int jb_html_declared_charset(const uint8_t *html, size_t length, char *name, size_t capacity) {
    // Latin-1 maps every byte, so the parser never stops on the page's real encoding and the
    // ASCII of the tags reads the same.
    size_t take = length > (1 << 16) ? (1 << 16) : length;
    htmlDocPtr doc = parse_html(html, take, "ISO-8859-1", 1);
    if (doc == NULL) return -1;
    int found = find_charset((xmlNode *)doc, name, capacity, 0);
    xmlFreeDoc(doc);
    return found;
}
