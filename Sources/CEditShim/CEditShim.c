#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "CEditShim.h"

int jb_use_utf8_locale(void) {
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && strcmp(codeset, "UTF-8") == 0) return 0;
    setlocale(LC_CTYPE, "C.UTF-8");
    return 1;
}

EditLine *jb_el_init(const char *program) { return el_init(program, stdin, stdout, stderr); }
int jb_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int jb_el_set_wprompt(EditLine *el, jb_el_wprompt prompt) { return el_wset(el, EL_PROMPT, prompt); }
int jb_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
int jb_el_set_history(EditLine *el, HistoryW *h) { return el_wset(el, EL_HIST, history_w, h); }
int jb_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
void *jb_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
int jb_el_addfn(EditLine *el, const wchar_t *name, const wchar_t *help, jb_el_func fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}
int jb_el_bind(EditLine *el, const wchar_t *key, const wchar_t *fn) {
    return el_wset(el, EL_BIND, key, fn, NULL);
}
int jb_el_source_editrc(EditLine *el) { return el_source(el, NULL); }
int jb_el_parse(EditLine *el, const char *a0, const char *a1, const char *a2) {
    const char *argv[4] = { a0, a1, a2, NULL };
    int argc = a2 ? 3 : (a1 ? 2 : 1);
    return el_parse(el, argc, argv);
}

int jb_terminal_columns(int fd) {
    struct winsize ws;
    if (!isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

int jb_terminal_rows(int fd) {
    struct winsize ws;
    if (!isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_row;
}

int jb_history_setsize(HistoryW *h, int size) { HistEventW ev; return history_w(h, &ev, H_SETSIZE, size); }
int jb_history_setunique(HistoryW *h, int unique) { HistEventW ev; return history_w(h, &ev, H_SETUNIQUE, unique); }
int jb_history_enter(HistoryW *h, const wchar_t *line) { HistEventW ev; return history_w(h, &ev, H_ENTER, line); }
int jb_history_count(HistoryW *h) {
    HistEventW ev;
    if (history_w(h, &ev, H_GETSIZE) < 0) return 0;
    return ev.num;
}
const wchar_t *jb_history_at(HistoryW *h, int index) {
    HistEventW ev;
    if (history_w(h, &ev, H_FIRST) < 0) return NULL;
    for (int i = 0; i < index; i++)
        if (history_w(h, &ev, H_NEXT) < 0) return NULL;
    return ev.str;
}
