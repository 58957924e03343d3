/*
** report.c
** erl's failure texts: the shell's exception report (erl_error's wording
** and layout) and the error logger's report of a crashed process.
*/
#include "report.h"
#include "../runtime/fun.h"
#include "../runtime/logger.h"
#include "../runtime/print.h"
#include "../runtime/stacktrace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* "        called as " and "     in function  ": where the call lines start. */
#define CALLED_AS "        called as "
#define CALLED_AS_LEN 18

static const char *class_name(Term cls)
{
    if (cls == AM_exit)
        return "exit";
    if (cls == AM_throw)
        return "throw";
    return "error";
}

static long count_newlines(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static bool is_tag(Term t, Term tag, uint64_t size)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == size && erl_element(t, 1) == tag;
}

/* The shell's pretty printer at a column, into a fresh string. */
static char *pf(Term t, int column)
{
    Buf s = {0};
    print_pretty_limited(&s, t, column);
    buf_str(&s);
    return buf_take(&s);
}

/* erl_error's format_value: "ErrStr Value" on the first line, unless the
** value then needs more than one line break and fewer when it starts on a
** line of its own, indented under the class. */
static void format_value(Buf *b, int prefix_len, const char *errstr, Term v)
{
    int inline_col = prefix_len + (int)strlen(errstr) + 1;
    char *s1 = pf(v, inline_col);
    long n1 = count_newlines(s1);
    buf_puts(b, errstr);
    if (n1 > 1) {
        char *s2 = pf(v, prefix_len + 1);
        if (count_newlines(s2) < n1) {
            buf_putc(b, '\n');
            for (int i = 0; i < prefix_len; i++)
                buf_putc(b, ' ');
            buf_puts(b, s2);
            free(s2);
            free(s1);
            return;
        }
        free(s2);
    }
    buf_puts(b, s1);
    free(s1);
}

static void put_arity(Buf *b, Term args)
{
    if (erl_is_int(args))
        buf_printf(b, "%lld", (long long)erl_int_value(args));
    else
        buf_printf(b, "%ld", term_list_length(args));
}

/* The name of a function in a where tuple: an atom, or a "M:F" string. */
static void put_function_name(Buf *b, Term name)
{
    if (erl_is_atom(name)) {
        print_atom(b, name);
        return;
    }
    for (; erl_is_cons(name); name = erl_tl(name))
        buf_putc(b, (char)erl_int_value(erl_hd(name)));
}

/* Operators print bare ("1 div 0", "srv ! hi"), except that '/' is quoted
** before "/2". */
static void put_operator(Buf *b, Term op, bool for_arity)
{
    if (for_arity && strcmp(erl_atom_name(op), "/") == 0)
        buf_puts(b, "'/'");
    else
        buf_puts(b, erl_atom_name(op));
}

/* The arguments of a call as "(A1,A2)", laid out like the list [A1,A2]
** starting at 'column'. Like erl, a list of character codes is laid out
** with its first code replaced by an atom as wide, so it stays a list. */
static void put_arguments(Buf *b, Term args, int column)
{
    char first[32] = "";
    Term shown = args;
    if (term_is_printable_string(args)) {
        int n = snprintf(first, sizeof first, "%lld", (long long)erl_int_value(erl_hd(args)));
        char wide[32];
        memset(wide, 'a', (size_t)n);
        wide[n] = '\0';
        shown = erl_cons(erl_atom(wide), erl_tl(args));
    }
    char *s = pf(shown, column + 1);
    size_t n = strlen(s), skip = 1 + strlen(first);
    buf_putc(b, '(');
    buf_puts(b, first);
    buf_put(b, s + skip, n - skip - 1);
    buf_putc(b, ')');
    free(s);
}

/* "called as A op B" / "called as op A", broken as erl_error breaks it. */
static void put_operator_call(Buf *b, Term op, Term args)
{
    buf_puts(b, CALLED_AS);
    long n = term_list_length(args);
    if (n == 1) {
        put_operator(b, op, false);
        buf_putc(b, ' ');
        int col = CALLED_AS_LEN + (int)strlen(erl_atom_name(op)) + 1 + 1;
        char *s = pf(erl_hd(args), col);
        buf_puts(b, s);
        free(s);
        return;
    }
    Term a1 = erl_hd(args), a2 = erl_hd(erl_tl(args));
    char *s1 = pf(a1, CALLED_AS_LEN + 1);
    char *s2 = pf(a2, CALLED_AS_LEN + 1);
    bool own_lines = count_newlines(s1) > 0;
    char *s2_inline = NULL;
    if (!own_lines) {
        int col = CALLED_AS_LEN + (int)strlen(s1) + (int)strlen(erl_atom_name(op)) + 2 + 1;
        s2_inline = pf(a2, col);
        own_lines = count_newlines(s2) < count_newlines(s2_inline);
    }
    buf_puts(b, s1);
    if (own_lines) {
        buf_printf(b, "\n%*s", CALLED_AS_LEN, "");
        put_operator(b, op, false);
        buf_printf(b, "\n%*s", CALLED_AS_LEN, "");
        buf_puts(b, s2);
    } else {
        buf_putc(b, ' ');
        put_operator(b, op, false);
        buf_putc(b, ' ');
        buf_puts(b, s2_inline);
    }
    free(s1);
    free(s2);
    free(s2_inline);
}

/* The lines under the first one, from e->where. Returns whether it
** printed an "in function" or "in operator" line. */
static bool put_where(Buf *b, Term where)
{
    Term am_operator = erl_atom("operator"), am_function = erl_atom("function");
    if (is_tag(where, am_operator, 3) && erl_is_atom(erl_element(where, 2))) {
        Term op = erl_element(where, 2), args = erl_element(where, 3);
        buf_puts(b, "     in operator  ");
        put_operator(b, op, true);
        buf_putc(b, '/');
        put_arity(b, args);
        buf_putc(b, '\n');
        if (term_list_length(args) == 1 || term_list_length(args) == 2) {
            put_operator_call(b, op, args);
            buf_putc(b, '\n');
        }
        return true;
    }
    if (is_tag(where, erl_atom("eval_bits"), 3) && erl_is_int(erl_element(where, 2))) {
        /* a segment of a binary the shell could not build: erl's frames of
        ** eval_bits; line 0 is a BIF eval_bits called, {function, ...};
        ** line -1 a binary comprehension's template, shown without frames */
        if (erl_element(where, 2) == erl_mk_int(-1))
            return false;
        if (erl_element(where, 2) == erl_mk_int(0)) {
            put_where(b, erl_element(where, 3));
            buf_puts(b, "     in call from eval_bits:eval_exp_field1/9 (eval_bits.erl, line 114)\n");
        } else {
            buf_printf(b, "     in function  eval_bits:eval_exp_field/6 (eval_bits.erl, line %ld)\n",
                       erl_int_value(erl_element(where, 2)));
        }
        if (erl_element(where, 2) != erl_mk_int(0) && erl_element(where, 3) != erl_atom("none")) {
            Buf note = {0};
            print_format(&note, "~s", erl_list(erl_element(where, 3)));
            buf_printf(b, "        *** %s\n", buf_str(&note));
            buf_free(&note);
        }
        buf_puts(b, "     in call from eval_bits:create_binary/2 (eval_bits.erl, line 77)\n"
                    "     in call from eval_bits:expr_grp/5 (eval_bits.erl, line 68)\n");
        return true;
    }
    if ((is_tag(where, am_function, 3) || is_tag(where, am_function, 4)) &&
        term_list_length(erl_element(where, 3)) >= 0) {
        Term name = erl_element(where, 2), args = erl_element(where, 3);
        buf_puts(b, "     in function  ");
        put_function_name(b, name);
        buf_putc(b, '/');
        put_arity(b, args);
        buf_putc(b, '\n');
        buf_puts(b, CALLED_AS);
        size_t start = b->len;
        put_function_name(b, name);
        int col = CALLED_AS_LEN + (int)(b->len - start);
        put_arguments(b, args, col);
        buf_putc(b, '\n');
        if (erl_tuple_size(where) == 4) {
            Buf note = {0};
            buf_puts(b, "        *** ");
            if (print_format(&note, "~s", erl_list(erl_element(where, 4))) == 0) {
                /* several notes, one per line: "argument 1: ...\nargument 2: ..." */
                for (const char *c = buf_str(&note); *c; c++) {
                    if (*c == '\n')
                        buf_puts(b, "\n        *** ");
                    else
                        buf_putc(b, *c);
                }
            }
            else
                print_write(b, erl_element(where, 4));
            buf_free(&note);
            buf_putc(b, '\n');
        }
        return true;
    }
    return false;
}

/* One module frame {M, F, Arity, Location}, as erl_error prints it:
**     in function  t:g/1 (t.c, line 12)
**     in call from t:f/0 (t.c, line 20) */
/* "(File, line N)" from a stack entry's location list, or nothing when it
** lacks either. */
static void put_location(Buf *b, Term location)
{
    Term file = ERL_NONE, line = ERL_NONE;
    for (Term l = location; erl_is_cons(l); l = erl_tl(l)) {
        Term kv = erl_hd(l);
        if (is_tag(kv, erl_atom("file"), 2))
            file = erl_element(kv, 2);
        else if (is_tag(kv, erl_atom("line"), 2))
            line = erl_element(kv, 2);
    }
    if (file == ERL_NONE || line == ERL_NONE)
        return;
    buf_putc(b, '(');
    for (; erl_is_cons(file); file = erl_tl(file))
        buf_putc(b, (char)erl_int_value(erl_hd(file)));
    buf_printf(b, ", line %lld)", (long long)erl_int_value(line));
}

static void put_frame(Buf *b, Term frame, bool first)
{
    buf_puts(b, first ? "     in function  " : "     in call from ");
    print_atom(b, erl_element(frame, 1));
    buf_putc(b, ':');
    print_atom(b, erl_element(frame, 2));
    buf_printf(b, "/%lld", (long long)erl_int_value(erl_element(frame, 3)));
    size_t at = b->len;
    buf_putc(b, ' ');
    put_location(b, erl_element(frame, 4));
    if (b->len == at + 1)
        b->len = at; /* no location */
    buf_putc(b, '\n');
}

/* "no function clause matching M:F(Args) (File, line N)" for the call
** entry {M, F, Args, Location}: the arguments stay on the line unless they
** would take more lines there than on a line of their own, indented under
** "exception", which is where erl_error moves them. */
static void put_no_clause(Buf *b, int prefix_len, Term call)
{
    static const char errstr[] = "no function clause matching ";
    Buf mf = {0};
    print_atom(&mf, erl_element(call, 1));
    buf_putc(&mf, ':');
    print_atom(&mf, erl_element(call, 2));
    Term args = erl_element(call, 3);
    int inline_col = prefix_len + (int)strlen(errstr) + (int)mf.len;
    int own_col = prefix_len + (int)mf.len;
    Buf on_line = {0}, own_line = {0};
    put_arguments(&on_line, args, inline_col);
    put_arguments(&own_line, args, own_col);
    char *probe = pf(erl_list(erl_atom("a2345"), erl_atom("b2345")), inline_col + 1);
    bool long_name = count_newlines(probe) > 0;
    free(probe);
    buf_puts(b, errstr);
    if (long_name || count_newlines(buf_str(&own_line)) < count_newlines(buf_str(&on_line))) {
        buf_printf(b, "\n%*s%s%s", prefix_len, "", buf_str(&mf), buf_str(&own_line));
    } else {
        buf_puts(b, buf_str(&mf));
        buf_puts(b, buf_str(&on_line));
    }
    buf_putc(b, ' ');
    put_location(b, erl_element(call, 4));
    buf_free(&mf);
    buf_free(&on_line);
    buf_free(&own_line);
}

/* The text after "** exception error: " for reasons erl explains. Returns
** false for the others. */
static bool explain_error(Buf *b, int prefix_len, Term reason, Term where)
{
    static const struct {
        const char *name;
        const char *text;
    } plain[] = {
        {"badarg", "bad argument"},
        {"badarith", "an error occurred when evaluating an arithmetic expression"},
        {"if_clause", "no true branch found when evaluating an if expression"},
        {"noproc", "no such process or port"},
        {"notalive", "the node cannot be part of a distributed system"},
        {"system_limit", "a system limit has been reached"},
        {"timeout_value", "bad receive timeout value"},
    };
    static const struct {
        const char *tag;
        const char *errstr;
    } valued[] = {
        {"badarg", "bad argument: "},
        {"badfun", "bad function "},
        {"badmatch", "no match of right hand side value "},
        {"case_clause", "no case clause matching "},
        {"try_clause", "no try clause matching "},
        {"badkey", "bad key: "},
        {"badmap", "bad map: "},
        {"bad_generator", "bad generator "},
        {"bad_filter", "bad filter "},
    };
    if (reason == AM_badarg && is_tag(where, erl_atom("eval_bits"), 3) &&
        ((erl_element(where, 2) != erl_mk_int(0) && erl_element(where, 3) != erl_atom("none")) ||
         erl_element(where, 2) == erl_mk_int(-1))) {
        buf_puts(b, "construction of binary failed"); /* bit syntax: see put_where */
        return true;
    }
    if (erl_is_atom(reason)) {
        for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
            if (strcmp(erl_atom_name(reason), plain[i].name) == 0) {
                buf_puts(b, plain[i].text);
                return true;
            }
    }
    if (erl_is_tuple(reason) && erl_tuple_size(reason) == 2 && erl_is_atom(erl_element(reason, 1))) {
        for (size_t i = 0; i < sizeof valued / sizeof *valued; i++)
            if (strcmp(erl_atom_name(erl_element(reason, 1)), valued[i].tag) == 0) {
                format_value(b, prefix_len, valued[i].errstr, erl_element(reason, 2));
                return true;
            }
    }
    if (is_tag(reason, AM_badarity, 2) && erl_is_tuple(erl_element(reason, 2)) &&
        erl_tuple_size(erl_element(reason, 2)) == 2) {
        /* {badarity, {Fun, Args}} of a shell fun */
        Term fun = erl_element(erl_element(reason, 2), 1), args = erl_element(erl_element(reason, 2), 2);
        static const char *const words[] = {"no arguments", "one argument", "two arguments", "three arguments",
                                            "four arguments", "five arguments", "six arguments",
                                            "seven arguments", "eight arguments", "nine arguments",
                                            "ten arguments"};
        long n = term_list_length(args);
        if (erl_is_boxed(fun) && erl_box_kind(fun) == ERL_BOX_FUN && erl_box_size(fun) >= 2 && n >= 0) {
            if (fun_is_export(fun) || fun_info_of(fun)->kind == FUN_C) {
                /* erl_error's format_fun: Mod:Name/Arity for any fun but the shell's */
                Term m, f;
                int arity;
                if (fun_is_export(fun)) {
                    fun_export_parts(fun, &m, &f, &arity);
                } else {
                    m = fun_info_of(fun)->module;
                    f = fun_info_of(fun)->name;
                    arity = fun_arity(fun);
                }
                print_atom(b, m);
                buf_putc(b, ':');
                print_atom(b, f);
                buf_printf(b, "/%d called with ", arity);
            } else {
                buf_printf(b, "interpreted function with arity %lld called with ",
                           (long long)erl_int_value(erl_box_ptr(fun)[2]));
            }
            if (n <= 10)
                buf_puts(b, words[n]);
            else
                buf_printf(b, "%ld arguments", n);
            return true;
        }
    }
    if (reason == AM_function_clause && is_tag(where, AM_shell, 3) && erl_is_int(erl_element(where, 3))) {
        /* a shell command given arguments it does not take: where {shell, F, Arity} */
        buf_puts(b, "no function clause matching call to ");
        print_atom(b, erl_element(where, 2));
        buf_printf(b, "/%lld", (long long)erl_int_value(erl_element(where, 3)));
        return true;
    }
    if (reason == AM_function_clause && erl_is_tuple(where) && erl_tuple_size(where) == 3 &&
        erl_is_atom(erl_element(where, 1)) && erl_is_atom(erl_element(where, 2))) {
        /* no function clause matching M:F(Args) */
        Buf call = {0};
        print_atom(&call, erl_element(where, 1));
        buf_putc(&call, ':');
        print_atom(&call, erl_element(where, 2));
        buf_putc(&call, '(');
        bool first = true;
        for (Term a = erl_element(where, 3); erl_is_cons(a); a = erl_tl(a)) {
            if (!first)
                buf_putc(&call, ',');
            print_write(&call, erl_hd(a));
            first = false;
        }
        buf_puts(&call, ") ");
        buf_puts(b, "no function clause matching \n");
        buf_printf(b, "%*s%s", prefix_len + 20 - prefix_len, "", buf_str(&call));
        buf_free(&call);
        return true;
    }
    if (reason == AM_undef && erl_is_tuple(where) && erl_tuple_size(where) == 3 &&
        erl_is_atom(erl_element(where, 1)) && erl_is_atom(erl_element(where, 2))) {
        Term m = erl_element(where, 1), f = erl_element(where, 2), args = erl_element(where, 3);
        if (m == AM_shell) {
            buf_puts(b, "undefined shell command ");
        } else {
            buf_puts(b, "undefined function ");
            print_atom(b, m);
            buf_putc(b, ':');
        }
        print_atom(b, f);
        buf_putc(b, '/');
        put_arity(b, args);
        return true;
    }
    return false;
}

void report_exception(Buf *b, const ErlException *e)
{
    size_t start = b->len;
    buf_printf(b, "** exception %s: ", class_name(e->cls));
    int prefix_len = (int)(b->len - start);
    /* the function where names appears once: its frame is its location */
    Term frames = ERL_NIL;
    Term call = e->cls == AM_error ? stacktrace_where_call(heap_current(), e, &frames) : ERL_NONE;
    if (call == ERL_NONE)
        frames = stacktrace_module_frames(heap_current(), e);
    bool no_clause = call != ERL_NONE && e->reason == AM_function_clause &&
                     (is_tag(e->where, erl_atom("function"), 3) || erl_is_atom(erl_element(e->where, 1)));
    bool first = true;
    if (no_clause) {
        put_no_clause(b, prefix_len, call);
        buf_putc(b, '\n');
    } else {
        bool explained = e->cls == AM_error && explain_error(b, prefix_len, e->reason, e->where);
        if (!explained) {
            char *s = pf(e->reason, prefix_len + 1);
            buf_puts(b, s);
            free(s);
        }
        buf_putc(b, '\n');
        if (e->cls == AM_error && e->where != ERL_NONE)
            first = !put_where(b, e->where);
    }
    for (; erl_is_cons(frames); frames = erl_tl(frames), first = false)
        put_frame(b, erl_hd(frames), first);
}

/* ====================================================== error logger */

void report_error_report_at(Buf *b, Term pid, Term exit_value, int64_t usec)
{
    logger_header_at(b, "ERROR", usec);
    buf_printf(b, "Error in process <0.%llu.0> with exit value:\n", (unsigned long long)pid_number(pid));
    print_pretty(b, exit_value, 1, 80, -1);
    buf_puts(b, "\n\n");
}

void report_error_report(Buf *b, Term pid, Term exit_value)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    report_error_report_at(b, pid, exit_value, (int64_t)tv.tv_sec * 1000000 + tv.tv_usec);
}
