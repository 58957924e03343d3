/*
** string.c
** The string module: OTP's modern API on Unicode strings (uppercase, trim,
** split, lexemes, find, replace, slice, pad, to_integer, ...) and its old
** API on Latin-1 lists (to_upper, tokens, substr, strip, ...).
**
** A string is a list of character codes or a UTF-8 binary; a function
** returns binaries for a binary and lists for a list, built as OTP's are
** (pad and replace return deep lists, which print as erl's). Input is read
** into an array of code points, a Text. Graphemes are code points, except
** that "\r\n" and a letter followed by combining marks (U+0300..U+036F) are
** one, as erl counts them. Deep lists are read flat; case mapping covers
** Latin-1, Latin Extended-A, Greek and Cyrillic.
*/
#include <cerl.h>

MODULE(string);
EXPORT(is_empty/1, length/1, reverse/1, equal/2, equal/3, slice/2, slice/3,
       pad/2, pad/3, pad/4, trim/1, trim/2, trim/3, chomp/1, take/2, take/3, take/4,
       lexemes/2, nth_lexeme/3, uppercase/1, lowercase/1, titlecase/1, casefold/1,
       prefix/2, split/2, split/3, replace/3, replace/4, find/2, find/3,
       next_codepoint/1, next_grapheme/1, to_graphemes/1, to_integer/1, to_float/1,
       /* the old API, on lists of Latin-1 characters */
       len/1, concat/2, chr/2, rchr/2, str/2, rstr/2, span/2, cspan/2, substr/2, substr/3,
       tokens/2, chars/2, chars/3, copies/2, words/1, words/2, strip/1, strip/2, strip/3,
       sub_word/2, sub_word/3, left/2, left/3, right/2, right/3, sub_string/2, sub_string/3,
       centre/2, centre/3, join/2, to_upper/1, to_lower/1);

void *malloc(unsigned long);
void *realloc(void *, unsigned long);
void free(void *);
double strtod(const char *, char **);

/* ------------------------------------------------------------- texts */

/* The code points of a string, in malloc'd memory (they are not terms):
** every function frees its Texts before it returns or raises. */
typedef struct Text {
    unsigned *cp;
    long n, cap;
    int binary; /* read from a binary: results are binaries */
} Text;

static void text_put(Text *t, unsigned c)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cp = realloc(t->cp, (unsigned long)t->cap * sizeof *t->cp);
    }
    t->cp[t->n++] = c;
}

static void text_free(Text *t)
{
    free(t->cp);
    t->cp = 0;
    t->n = t->cap = 0;
}

/* Appends the UTF-8 of binary B; returns 0 when it is not UTF-8. */
static int read_utf8(Text *t, Term B)
{
    const unsigned char *s = erl_binary_bytes(B);
    unsigned long n = erl_binary_size(B);
    for (unsigned long i = 0; i < n;) {
        unsigned c = s[i];
        int len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
        if (len == 0 || i + (unsigned long)len > n)
            return 0;
        if (len > 1)
            c &= 0x7f >> len;
        for (int k = 1; k < len; k++) {
            if ((s[i + (unsigned long)k] & 0xc0) != 0x80)
                return 0;
            c = c << 6 | (s[i + (unsigned long)k] & 0x3f);
        }
        text_put(t, c);
        i += (unsigned long)len;
    }
    return 1;
}

/* Appends chardata S: a binary, or a (deep) list of code points and
** binaries. Returns 0 for anything else. */
static int read_chardata(Text *t, Term S, int depth)
{
    if (erl_is_binary(S))
        return read_utf8(t, S);
    if (depth > 10000)
        return 0;
    for (; erl_is_cons(S); S = erl_tl(S)) {
        Term C = erl_hd(S);
        if (erl_is_int(C) && erl_int_value(C) >= 0 && erl_int_value(C) <= 0x10ffff)
            text_put(t, (unsigned)erl_int_value(C));
        else if (!read_chardata(t, C, depth + 1))
            return 0;
    }
    return S == ERL_NIL;
}

/* Reads S into t, or raises badarg from string:Fun(Args). */
static void text_read(Text *t, Term S, const char *fun, int argc, const Term *argv)
{
    t->cp = 0;
    t->n = t->cap = 0;
    t->binary = erl_is_binary(S);
    if (!read_chardata(t, S, 0)) {
        text_free(t);
        erl_error_in(ATOM(badarg), 0, "string", fun, argc, argv);
    }
}

/* The code points cp[0..n) as a list, or as a UTF-8 binary. */
static Term chars(const unsigned *cp, long n, int binary)
{
    if (!binary) {
        Term L = ERL_NIL;
        while (n > 0)
            L = erl_cons(erl_mk_int(cp[--n]), L);
        return L;
    }
    unsigned char small[256];
    unsigned char *buf = n * 4 <= (long)sizeof small ? small : malloc((unsigned long)n * 4);
    unsigned long len = 0;
    for (long i = 0; i < n; i++) {
        unsigned c = cp[i];
        if (c < 0x80) {
            buf[len++] = (unsigned char)c;
        } else if (c < 0x800) {
            buf[len++] = (unsigned char)(0xc0 | c >> 6);
            buf[len++] = (unsigned char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            buf[len++] = (unsigned char)(0xe0 | c >> 12);
            buf[len++] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
            buf[len++] = (unsigned char)(0x80 | (c & 0x3f));
        } else {
            buf[len++] = (unsigned char)(0xf0 | c >> 18);
            buf[len++] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
            buf[len++] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
            buf[len++] = (unsigned char)(0x80 | (c & 0x3f));
        }
    }
    Term B = erl_mk_binary(buf, len);
    if (buf != small)
        free(buf);
    return B;
}

/* Part [from, to) of t, as t's kind of string. */
static Term part(const Text *t, long from, long to)
{
    return chars(t->cp + from, to - from, t->binary);
}

/* The number of code points of the grapheme at i: "\r\n" and a character
** with its combining marks are one. */
static long grapheme(const Text *t, long i)
{
    if (t->cp[i] == '\r' && i + 1 < t->n && t->cp[i + 1] == '\n')
        return 2;
    long k = i + 1;
    while (k < t->n && t->cp[k] >= 0x300 && t->cp[k] <= 0x36f)
        k++;
    return k - i;
}

/* The index where grapheme number g (from 0) starts, or t->n. */
static long grapheme_index(const Text *t, long g)
{
    long i = 0;
    for (; g > 0 && i < t->n; g--)
        i += grapheme(t, i);
    return i;
}

/* Does pattern p occur in t at i? */
static int match_at(const Text *t, long i, const Text *p)
{
    if (p->n == 0 || i + p->n > t->n)
        return 0;
    for (long k = 0; k < p->n; k++)
        if (t->cp[i + k] != p->cp[k])
            return 0;
    return 1;
}

/* The first (from 'from' on) or last index where p occurs in t, or -1. */
static long search(const Text *t, const Text *p, long from, int last)
{
    if (last) {
        for (long i = t->n - p->n; i >= from; i--)
            if (match_at(t, i, p))
                return i;
        return -1;
    }
    for (long i = from; i + p->n <= t->n; i++)
        if (match_at(t, i, p))
            return i;
    return -1;
}

/* ------------------------------------------------------- grapheme sets */

/* A list of graphemes, each a code point or a list of them ("\r\n"), as
** trim/3, take/2 and lexemes/2 take them: read into one Text, each grapheme
** ended by the (impossible) code point END. */
#define END 0xffffffffu

static int read_set(Text *set, Term List)
{
    set->cp = 0;
    set->n = set->cap = 0;
    set->binary = 0;
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term G = erl_hd(List);
        if (erl_is_int(G) && erl_int_value(G) >= 0)
            text_put(set, (unsigned)erl_int_value(G));
        else if (!erl_is_list(G) || !read_chardata(set, G, 0))
            return 0;
        text_put(set, END);
    }
    return List == ERL_NIL;
}

/* Is the grapheme at i of t (g code points long) one of the set's? */
static int in_set(const Text *t, long i, long g, const Text *set)
{
    for (long s = 0; s < set->n;) {
        long e = s;
        while (set->cp[e] != END)
            e++;
        if (e - s == g) {
            long k = 0;
            while (k < g && set->cp[s + k] == t->cp[i + k])
                k++;
            if (k == g)
                return 1;
        }
        s = e + 1;
    }
    return 0;
}

/* unicode_util:whitespace(): "\r\n", \t \n \v \f \r, space, U+0085, and
** U+200E, U+200F, U+2028, U+2029. */
static void whitespace(Text *set)
{
    static const unsigned ws[] = {'\r', '\n', END, 9, END, 10, END, 11, END, 12, END, 13, END, 32, END,
                                  0x85, END, 0x200e, END, 0x200f, END, 0x2028, END, 0x2029, END};
    set->cp = 0;
    set->n = set->cap = 0;
    for (unsigned long i = 0; i < sizeof ws / sizeof *ws; i++)
        text_put(set, ws[i]);
}

/* Reads the grapheme list of Fun's arguments into set, the string t being
** read already; else frees both and raises function_clause, as erl's
** clauses do. */
static void read_set_of(Text *set, Term List, Text *t, const char *fun, int argc, const Term *argv)
{
    if (!read_set(set, List)) {
        text_free(set);
        text_free(t);
        erl_error_in(ATOM(function_clause), 0, "string", fun, argc, argv);
    }
}

/* ---------------------------------------------------------- case maps */

static unsigned upper(unsigned c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7) || (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2) ||
        (c >= 0x430 && c <= 0x44f))
        return c - 32;
    if (c == 0xff)
        return 0x178;
    if (c == 0xb5)
        return 0x39c;
    if (c == 0x3c2)
        return 0x3a3;
    if (c >= 0x450 && c <= 0x45f)
        return c - 80;
    if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17f)
        return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ? (c % 2 == 0 ? c - 1 : c) : c & ~1u;
    return c;
}

static unsigned lower(unsigned c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
        (c >= 0x410 && c <= 0x42f))
        return c + 32;
    if (c == 0x178)
        return 0xff;
    if (c >= 0x400 && c <= 0x40f)
        return c + 80;
    if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17f)
        return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e) ? (c % 2 == 1 ? c + 1 : c) : c | 1u;
    return c;
}

/* Maps every code point of S by f (the German sharp s by 'sharp_s'). */
static Term map_case(Term S, unsigned (*f)(unsigned), const char *sharp_s, const char *fun)
{
    Text t, r = {0};
    text_read(&t, S, fun, 1, &S);
    r.binary = t.binary;
    for (long i = 0; i < t.n; i++) {
        if (t.cp[i] == 0xdf && sharp_s)
            for (const char *s = sharp_s; *s; s++)
                text_put(&r, (unsigned char)*s);
        else
            text_put(&r, f(t.cp[i]));
    }
    Term R = part(&r, 0, r.n);
    text_free(&t);
    text_free(&r);
    return R;
}

/* ===================================================== the modern API */

/* is_empty([]) -> true; is_empty(<<>>) -> true;
** is_empty([L|R]) -> is_empty(L) andalso is_empty(R); is_empty(_) -> false. */
Term is_empty(Term S)
{
    for (; erl_is_cons(S); S = erl_tl(S))
        if (is_empty(erl_hd(S)) == ATOM(false))
            return ATOM(false);
    if (S == ERL_NIL || (erl_is_binary(S) && erl_binary_size(S) == 0))
        return ATOM(true);
    return ATOM(false);
}

/* length(String): the number of graphemes. */
Term length(Term S)
{
    Text t;
    text_read(&t, S, "length", 1, &S);
    long n = 0;
    for (long i = 0; i < t.n; i += grapheme(&t, i))
        n++;
    text_free(&t);
    return erl_mk_int(n);
}

/* The graphemes of S, last first: each a code point, or a list of the code
** points of a grapheme of several. fun names the caller for its errors. */
static Term graphemes_reversed(Term S, const char *fun)
{
    Text t;
    text_read(&t, S, fun, 1, &S);
    Term R = ERL_NIL;
    for (long i = 0, g; i < t.n; i += g) {
        g = grapheme(&t, i);
        R = erl_cons(g == 1 ? erl_mk_int(t.cp[i]) : chars(t.cp + i, g, 0), R);
    }
    text_free(&t);
    return R;
}

/* reverse(String): its graphemes in reverse order, as a list (a grapheme
** of several code points as a list of them). */
Term reverse(Term S)
{
    return graphemes_reversed(S, "reverse");
}

/* The texts of A and B equal, after 'fold' on each code point when given. */
static Term equal_texts(Term A, Term B, unsigned (*fold)(unsigned), const char *fun)
{
    Text a, b = {0};
    text_read(&a, A, fun, 2, (Term[]){A, B});
    if (!read_chardata(&b, B, 0)) {
        text_free(&a);
        text_free(&b);
        erl_error_in(ATOM(badarg), 0, "string", fun, 2, (Term[]){A, B});
    }
    int eq = a.n == b.n;
    for (long i = 0; eq && i < a.n; i++)
        eq = fold ? fold(a.cp[i]) == fold(b.cp[i]) : a.cp[i] == b.cp[i];
    text_free(&a);
    text_free(&b);
    return eq ? ATOM(true) : ATOM(false);
}

/* equal(A, B): the same characters, whatever mix of lists and binaries. */
Term equal_2(Term A, Term B)
{
    if (erl_is_binary(A) && erl_is_binary(B))
        return erl_eq(A, B) ? ATOM(true) : ATOM(false);
    return equal_texts(A, B, 0, "equal");
}

/* equal(A, B, IgnoreCase). */
Term equal_3(Term A, Term B, Term IgnoreCase)
{
    if (IgnoreCase == ATOM(false))
        return equal_2(A, B);
    if (IgnoreCase != ATOM(true))
        erl_function_clause(A, B, IgnoreCase);
    return equal_texts(A, B, lower, "equal");
}

/* slice(String, Start, Length): Length graphemes (or infinity: all) from
** grapheme Start (from 0). */
Term slice_3(Term S, Term Start, Term Length)
{
    long start, len = -1;
    if (!erl_get_long(Start, &start) || start < 0 ||
        (Length != ATOM(infinity) && (!erl_get_long(Length, &len) || len < 0)))
        erl_function_clause(S, Start, Length);
    Text t;
    text_read(&t, S, "slice", 3, (Term[]){S, Start, Length});
    long from = grapheme_index(&t, start), to = t.n;
    if (len >= 0)
        for (to = from; len > 0 && to < t.n; len--)
            to += grapheme(&t, to);
    Term R = part(&t, from, to);
    text_free(&t);
    return R;
}

/* slice(String, Start) -> slice(String, Start, infinity). */
Term slice_2(Term S, Term Start)
{
    return slice_3(S, Start, ATOM(infinity));
}

/* pad(String, Length, Dir, Char): String made Length graphemes long with
** Char: [String | Pad] trailing, [Pad, String] leading, and both ways
** [Pre, String, Pre | Post], Post one Char more when the padding is odd. */
Term pad_4(Term S, Term Length, Term Dir, Term Char)
{
    long want, have;
    if (!erl_get_long(Length, &want) || (Dir != ATOM(leading) && Dir != ATOM(trailing) && Dir != ATOM(both)))
        erl_function_clause(S, Length, Dir, Char);
    erl_get_long(length(S), &have);
    long size = want > have ? want - have : 0;
    if (Dir == ATOM(trailing))
        return erl_cons(S, erl_call(lists, duplicate, erl_mk_int(size), Char));
    if (Dir == ATOM(leading))
        return erl_list(erl_call(lists, duplicate, erl_mk_int(size), Char), S);
    Term Pre = erl_call(lists, duplicate, erl_mk_int(size / 2), Char);
    Term Post = size % 2 ? erl_list(Char) : ERL_NIL;
    return erl_cons(Pre, erl_cons(S, erl_cons(Pre, Post)));
}

/* pad(String, Length, Dir) -> pad(String, Length, Dir, $\s). */
Term pad_3(Term S, Term Length, Term Dir)
{
    return pad_4(S, Length, Dir, erl_mk_int(' '));
}

/* pad(String, Length) -> pad(String, Length, trailing). */
Term pad_2(Term S, Term Length)
{
    return pad_4(S, Length, ATOM(trailing), erl_mk_int(' '));
}

/* The bounds [*from, *to) of t without the graphemes of 'set' at its
** start (leading), end (trailing) or both. */
static void trim_bounds(const Text *t, const Text *set, int leading, int trailing, long *from, long *to)
{
    long i = 0;
    while (leading && i < t->n && in_set(t, i, grapheme(t, i), set))
        i += grapheme(t, i);
    long end = i; /* the end of the last grapheme not in the set */
    for (long k = i, g; k < t->n; k += g) {
        g = grapheme(t, k);
        if (!trailing || !in_set(t, k, g, set))
            end = k + g;
    }
    *from = i;
    *to = end;
}

/* t without the leading and/or trailing characters of set; frees both. */
static Term trimmed(Text *t, Text *set, int leading, int trailing)
{
    long from, to;
    trim_bounds(t, set, leading, trailing, &from, &to);
    Term R = part(t, from, to);
    text_free(t);
    text_free(set);
    return R;
}

/* trim(String, Dir, Characters): without the leading, trailing or both
** graphemes that are in the list Characters. */
Term trim_3(Term S, Term Dir, Term Characters)
{
    Text set, t;
    int leading = Dir == ATOM(leading) || Dir == ATOM(both), trailing = Dir == ATOM(trailing) || Dir == ATOM(both);
    if (!leading && !trailing)
        erl_function_clause(S, Dir, Characters);
    if (Characters == ERL_NIL) /* trim(Str, _, []) -> Str */
        return S;
    text_read(&t, S, "trim", 3, (Term[]){S, Dir, Characters});
    read_set_of(&set, Characters, &t, "trim", 3, (Term[]){S, Dir, Characters});
    return trimmed(&t, &set, leading, trailing);
}

/* trim(String, Dir): without leading, trailing or both whitespace. */
Term trim_2(Term S, Term Dir)
{
    Text set, t;
    int leading = Dir == ATOM(leading) || Dir == ATOM(both), trailing = Dir == ATOM(trailing) || Dir == ATOM(both);
    if (!leading && !trailing)
        erl_function_clause(S, Dir);
    text_read(&t, S, "trim", 2, (Term[]){S, Dir});
    whitespace(&set);
    return trimmed(&t, &set, leading, trailing);
}

/* trim(String) -> trim(String, both). */
Term trim_1(Term S)
{
    return trim_2(S, ATOM(both));
}

/* chomp(String): without the trailing newlines ("\n" or "\r\n"). */
Term chomp(Term S)
{
    return trim_3(S, ATOM(trailing), erl_list(erl_mk_string("\r\n"), erl_mk_int('\n')));
}

/* take(String, Characters, Complement, Dir) -> {Leading, Trailing}: split
** where the graphemes that are (or, with Complement, are not) in
** Characters stop, from the start (leading) or the end (trailing). */
Term take_4(Term S, Term Characters, Term Complement, Term Dir)
{
    Text set, t;
    int complement = Complement == ATOM(true), trailing = Dir == ATOM(trailing);
    if ((!complement && Complement != ATOM(false)) || (!trailing && Dir != ATOM(leading)))
        erl_function_clause(S, Characters, Complement, Dir);
    text_read(&t, S, "take", 4, (Term[]){S, Characters, Complement, Dir});
    read_set_of(&set, Characters, &t, "take", 4, (Term[]){S, Characters, Complement, Dir});
    long at;
    if (!trailing) {
        at = 0;
        while (at < t.n && in_set(&t, at, grapheme(&t, at), &set) != complement)
            at += grapheme(&t, at);
    } else {
        at = 0;
        for (long k = 0, g; k < t.n; k += g) {
            g = grapheme(&t, k);
            if (in_set(&t, k, g, &set) == complement)
                at = k + g;
        }
    }
    Term R = erl_tuple(part(&t, 0, at), part(&t, at, t.n));
    text_free(&t);
    text_free(&set);
    return R;
}

/* take(String, Characters, Complement) -> take(..., leading). */
Term take_3(Term S, Term Characters, Term Complement)
{
    return take_4(S, Characters, Complement, ATOM(leading));
}

/* take(String, Characters) -> take(String, Characters, false, leading). */
Term take_2(Term S, Term Characters)
{
    return take_4(S, Characters, ATOM(false), ATOM(leading));
}

/* The lexemes of t: the runs of graphemes not in 'set', in order; up to
** 'nth' (from 1), or all when nth is 0. */
static Term lexemes_of(const Text *t, const Text *set, long nth)
{
    Term R = ERL_NIL;
    long count = 0;
    for (long i = 0; i < t->n;) {
        while (i < t->n && in_set(t, i, grapheme(t, i), set))
            i += grapheme(t, i);
        if (i == t->n)
            break;
        long start = i;
        while (i < t->n && !in_set(t, i, grapheme(t, i), set))
            i += grapheme(t, i);
        if (++count == nth)
            return part(t, start, i);
        R = erl_cons(part(t, start, i), R);
    }
    if (nth)
        return part(t, 0, 0);
    return erl_call(lists, reverse, R);
}

/* lexemes(String, SeparatorList): the words between separators, empty ones
** left out. */
Term lexemes(Term S, Term Separators)
{
    Text set, t;
    text_read(&t, S, "lexemes", 2, (Term[]){S, Separators});
    read_set_of(&set, Separators, &t, "lexemes", 2, (Term[]){S, Separators});
    Term R = lexemes_of(&t, &set, 0);
    text_free(&t);
    text_free(&set);
    return R;
}

/* nth_lexeme(String, N, SeparatorList): lexeme N, counting from 1. */
Term nth_lexeme(Term S, Term N, Term Separators)
{
    Text set, t;
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(S, N, Separators);
    text_read(&t, S, "nth_lexeme", 3, (Term[]){S, N, Separators});
    read_set_of(&set, Separators, &t, "nth_lexeme", 3, (Term[]){S, N, Separators});
    Term R = lexemes_of(&t, &set, n);
    text_free(&t);
    text_free(&set);
    return R;
}

Term uppercase(Term S) { return map_case(S, upper, "SS", "uppercase"); }
Term lowercase(Term S) { return map_case(S, lower, 0, "lowercase"); }
Term casefold(Term S) { return map_case(S, lower, "ss", "casefold"); }

/* titlecase(String): its first character in upper case. */
Term titlecase(Term S)
{
    Text t;
    text_read(&t, S, "titlecase", 1, &S);
    if (t.n > 0)
        t.cp[0] = upper(t.cp[0]);
    Term R = part(&t, 0, t.n);
    text_free(&t);
    return R;
}

/* prefix(String, Prefix): String without Prefix at its start, or nomatch. */
Term prefix(Term S, Term Prefix)
{
    Text t, p;
    text_read(&t, S, "prefix", 2, (Term[]){S, Prefix});
    p.cp = 0;
    p.n = p.cap = 0;
    int ok = read_chardata(&p, Prefix, 0);
    Term R = !ok ? ERL_NONE : p.n == 0 ? S : match_at(&t, 0, &p) ? part(&t, p.n, t.n) : ATOM(nomatch);
    text_free(&t);
    text_free(&p);
    if (R == ERL_NONE)
        erl_error_args(ATOM(badarg), 0, S, Prefix);
    return R;
}

/* Reads the pattern of split/find/replace, raising badarg from Fun. */
static void read_pattern(Text *p, Text *t, const char *fun, int argc, const Term *argv)
{
    p->cp = 0;
    p->n = p->cap = 0;
    if (!read_chardata(p, argv[1], 0)) {
        text_free(p);
        text_free(t);
        erl_error_in(ATOM(badarg), 0, "string", fun, argc, argv);
    }
}

/* split(String, Pattern, Where): the parts around the first (leading), the
** last (trailing) or every (all) occurrence of Pattern. */
Term split_3(Term S, Term Pattern, Term Where)
{
    if (Where != ATOM(leading) && Where != ATOM(trailing) && Where != ATOM(all))
        erl_function_clause(S, Pattern, Where);
    if (is_empty(Pattern) == ATOM(true))
        return erl_list(S);
    Text t, p;
    text_read(&t, S, "split", 3, (Term[]){S, Pattern, Where});
    read_pattern(&p, &t, "split", 3, (Term[]){S, Pattern, Where});
    Term R;
    long at = search(&t, &p, 0, Where == ATOM(trailing));
    if (at < 0) {
        R = erl_list(S);
    } else if (Where != ATOM(all)) {
        R = erl_list(part(&t, 0, at), part(&t, at + p.n, t.n));
    } else {
        R = ERL_NIL;
        long from = 0;
        for (; at >= 0; at = search(&t, &p, from, 0)) {
            R = erl_cons(part(&t, from, at), R);
            from = at + p.n;
        }
        R = erl_call(lists, reverse, erl_cons(part(&t, from, t.n), R));
    }
    text_free(&t);
    text_free(&p);
    return R;
}

/* split(String, Pattern) -> split(String, Pattern, leading). */
Term split_2(Term S, Term Pattern)
{
    return split_3(S, Pattern, ATOM(leading));
}

/* replace(String, Pattern, Replacement, Where) ->
**     lists:join(Replacement, split(String, Pattern, Where)). */
Term replace_4(Term S, Term Pattern, Term Replacement, Term Where)
{
    return erl_call(lists, join, Replacement, split_3(S, Pattern, Where));
}

/* replace(String, Pattern, Replacement) -> replace(..., leading). */
Term replace_3(Term S, Term Pattern, Term Replacement)
{
    return replace_4(S, Pattern, Replacement, ATOM(leading));
}

/* find(String, Pattern, Dir): String from the first (leading) or last
** (trailing) occurrence of Pattern on, or nomatch. */
Term find_3(Term S, Term Pattern, Term Dir)
{
    if (Dir != ATOM(leading) && Dir != ATOM(trailing))
        erl_function_clause(S, Pattern, Dir);
    Text t, p;
    text_read(&t, S, "find", 3, (Term[]){S, Pattern, Dir});
    read_pattern(&p, &t, "find", 3, (Term[]){S, Pattern, Dir});
    long at = p.n == 0 ? 0 : search(&t, &p, 0, Dir == ATOM(trailing));
    Term R = p.n == 0 ? S : at < 0 ? ATOM(nomatch) : part(&t, at, t.n);
    text_free(&t);
    text_free(&p);
    return R;
}

/* find(String, Pattern) -> find(String, Pattern, leading). */
Term find_2(Term S, Term Pattern)
{
    return find_3(S, Pattern, ATOM(leading));
}

/* next_codepoint(String) -> [CodePoint | Rest] | []. */
Term next_codepoint(Term S)
{
    Text t;
    text_read(&t, S, "next_codepoint", 1, &S);
    Term R = t.n == 0 ? ERL_NIL : erl_cons(erl_mk_int(t.cp[0]), part(&t, 1, t.n));
    text_free(&t);
    return R;
}

/* next_grapheme(String) -> [Grapheme | Rest] | []. */
Term next_grapheme(Term S)
{
    Text t;
    text_read(&t, S, "next_grapheme", 1, &S);
    Term R = ERL_NIL;
    if (t.n > 0) {
        long g = grapheme(&t, 0);
        R = erl_cons(g == 1 ? erl_mk_int(t.cp[0]) : chars(t.cp, g, 0), part(&t, g, t.n));
    }
    text_free(&t);
    return R;
}

/* to_graphemes(String): its graphemes, a list of code points (a grapheme
** of several as a list of them). */
Term to_graphemes(Term S)
{
    return erl_call(lists, reverse, graphemes_reversed(S, "to_graphemes"));
}

/* The length of the number that starts t (an integer, or a float when
** 'is_float': digits, '.' or ',', digits, and an exponent when one
** follows), 0 when none does. */
static long number_length(const Text *t, int is_float)
{
    long i = 0;
    if (i < t->n && (t->cp[i] == '+' || t->cp[i] == '-'))
        i++;
    long digits = i;
    while (i < t->n && t->cp[i] >= '0' && t->cp[i] <= '9')
        i++;
    if (i == digits)
        return 0;
    if (!is_float)
        return i;
    if (i + 1 >= t->n || (t->cp[i] != '.' && t->cp[i] != ',') || t->cp[i + 1] < '0' || t->cp[i + 1] > '9')
        return 0;
    for (i++; i < t->n && t->cp[i] >= '0' && t->cp[i] <= '9';)
        i++;
    if (i < t->n && (t->cp[i] == 'e' || t->cp[i] == 'E')) {
        long e = i + 1;
        if (e < t->n && (t->cp[e] == '+' || t->cp[e] == '-'))
            e++;
        if (e < t->n && t->cp[e] >= '0' && t->cp[e] <= '9') {
            while (e < t->n && t->cp[e] >= '0' && t->cp[e] <= '9')
                e++;
            i = e;
        }
    }
    return i;
}

/* {Number, Rest} for the number at the start of S, {error, no_integer |
** no_float}, or {error, badarg} for what is no string. */
static Term to_number(Term S, int is_float)
{
    Text t = {0};
    t.binary = erl_is_binary(S);
    if (!read_chardata(&t, S, 0)) {
        text_free(&t);
        return erl_tuple(ATOM(error), ATOM(badarg));
    }
    long n = number_length(&t, is_float);
    Term R;
    if (n == 0) {
        R = erl_tuple(ATOM(error), is_float ? ATOM(no_float) : ATOM(no_integer));
    } else {
        char buf[400];
        Term Number;
        if (is_float && n < (long)sizeof buf) {
            for (long i = 0; i < n; i++)
                buf[i] = t.cp[i] == ',' ? '.' : (char)t.cp[i];
            buf[n] = '\0';
            Number = erl_mk_float(strtod(buf, 0));
        } else if (is_float) {
            Number = ERL_NONE;
        } else {
            Number = erl_call(erlang, list_to_integer, part(&(Text){t.cp, n, n, 0}, 0, n));
        }
        R = Number == ERL_NONE ? erl_tuple(ATOM(error), ATOM(no_float)) : erl_tuple(Number, part(&t, n, t.n));
    }
    text_free(&t);
    return R;
}

/* to_integer(String) -> {Int, Rest} | {error, no_integer | badarg}. */
Term to_integer(Term S)
{
    return to_number(S, 0);
}

/* to_float(String) -> {Float, Rest} | {error, no_float | badarg}. */
Term to_float(Term S)
{
    return to_number(S, 1);
}

/* ========================================================= the old API */

/* The length of a flat list, or raises function_clause. */
static long list_length(Term L)
{
    long n = 0;
    for (; erl_is_cons(L); L = erl_tl(L))
        n++;
    if (L != ERL_NIL)
        erl_error(ATOM(function_clause));
    return n;
}

/* The character C as an integer, or function_clause. */
static long char_of(Term C)
{
    if (!erl_is_int(C) || erl_int_value(C) < 0)
        erl_error(ATOM(function_clause));
    return erl_int_value(C);
}

/* A positive (or, with 'zero', non-negative) integer, or function_clause. */
static long count_of(Term N, int zero)
{
    long n;
    if (!erl_get_long(N, &n) || n < (zero ? 0 : 1))
        erl_error(ATOM(function_clause));
    return n;
}

/* len(String) -> length(String). */
Term len(Term S)
{
    return erl_mk_int(list_length(S));
}

/* concat(S1, S2) -> S1 ++ S2. */
Term concat(Term S1, Term S2)
{
    return erl_call(lists, append, S1, S2);
}

/* chr(String, Char): the position (from 1) of Char's first occurrence, or 0. */
Term chr(Term S, Term C)
{
    long i = 1;
    for (; erl_is_cons(S); S = erl_tl(S), i++)
        if (erl_eq(erl_hd(S), C))
            return erl_mk_int(i);
    return erl_mk_int(0);
}

/* rchr(String, Char): the position of Char's last occurrence, or 0. */
Term rchr(Term S, Term C)
{
    long i = 1, at = 0;
    for (; erl_is_cons(S); S = erl_tl(S), i++)
        if (erl_eq(erl_hd(S), C))
            at = i;
    return erl_mk_int(at);
}

/* Is Sub a prefix of S? */
static int starts_with(Term S, Term Sub)
{
    for (; erl_is_cons(Sub); Sub = erl_tl(Sub), S = erl_tl(S))
        if (!erl_is_cons(S) || !erl_eq(erl_hd(S), erl_hd(Sub)))
            return 0;
    return 1;
}

/* str(String, SubString): the position of SubString's first occurrence, or 0. */
Term str(Term S, Term Sub)
{
    long i = 1;
    for (; erl_is_cons(S); S = erl_tl(S), i++)
        if (starts_with(S, Sub))
            return erl_mk_int(i);
    return erl_mk_int(0);
}

/* rstr(String, SubString): the position of its last occurrence, or 0. */
Term rstr(Term S, Term Sub)
{
    long i = 1, at = 0;
    for (; erl_is_cons(S); S = erl_tl(S), i++)
        if (starts_with(S, Sub))
            at = i;
    return erl_mk_int(at);
}

/* span(String, Chars): the length of the longest prefix of characters in
** Chars; cspan: of characters not in Chars. */
static long span_of(Term S, Term Chars, int in)
{
    long n = 0;
    for (; erl_is_cons(S) && (erl_call(lists, member, erl_hd(S), Chars) == ATOM(true)) == in; S = erl_tl(S))
        n++;
    return n;
}

Term span(Term S, Term Chars) { return erl_mk_int(span_of(S, Chars, 1)); }
Term cspan(Term S, Term Chars) { return erl_mk_int(span_of(S, Chars, 0)); }

/* substr(String, Start, Length): Length characters from Start (from 1). */
Term substr_3(Term S, Term Start, Term Length)
{
    long start = count_of(Start, 0), n = count_of(Length, 1);
    for (; start > 1; start--) {
        if (!erl_is_cons(S))
            erl_error(ATOM(function_clause));
        S = erl_tl(S);
    }
    return erl_call(lists, sublist, S, erl_mk_int(n));
}

/* substr(String, Start): String from position Start on. */
Term substr_2(Term S, Term Start)
{
    long start = count_of(Start, 0);
    for (; start > 1; start--) {
        if (!erl_is_cons(S))
            erl_error(ATOM(function_clause));
        S = erl_tl(S);
    }
    return S;
}

/* sub_string(String, Start, Stop): the characters Start..Stop. */
Term sub_string_3(Term S, Term Start, Term Stop)
{
    return substr_3(S, Start, erl_mk_int(count_of(Stop, 0) - count_of(Start, 0) + 1));
}

/* sub_string(String, Start) -> substr(String, Start). */
Term sub_string_2(Term S, Term Start)
{
    return substr_2(S, Start);
}

/* The words of S between any of the characters in Seps, left to right. */
static Term words_of(Term S, Term Seps)
{
    Term Words = ERL_NIL, Word = ERL_NIL;
    for (;; S = erl_tl(S)) {
        int end = !erl_is_cons(S);
        if (end || erl_call(lists, member, erl_hd(S), Seps) == ATOM(true)) {
            if (Word != ERL_NIL)
                Words = erl_cons(erl_call(lists, reverse, Word), Words);
            Word = ERL_NIL;
        } else {
            Word = erl_cons(erl_hd(S), Word);
        }
        if (end)
            break;
    }
    return erl_call(lists, reverse, Words);
}

/* tokens(String, SeparatorList): the tokens between separators. */
Term tokens(Term S, Term Seps)
{
    list_length(S);
    return words_of(S, Seps);
}

/* words(String, Char): the number of words separated by Char. */
Term words_2(Term S, Term C)
{
    char_of(C);
    return erl_mk_int(list_length(words_of(S, erl_list(C))));
}

/* words(String) -> words(String, $\s). */
Term words_1(Term S)
{
    return words_2(S, erl_mk_int(' '));
}

/* sub_word(String, N, Char): word N (from 1) of String, or []. */
Term sub_word_3(Term S, Term N, Term C)
{
    long n = count_of(N, 0);
    char_of(C);
    Term Words = words_of(S, erl_list(C));
    for (; n > 1 && erl_is_cons(Words); n--)
        Words = erl_tl(Words);
    return erl_is_cons(Words) ? erl_hd(Words) : ERL_NIL;
}

/* sub_word(String, N) -> sub_word(String, N, $\s). */
Term sub_word_2(Term S, Term N)
{
    return sub_word_3(S, N, erl_mk_int(' '));
}

/* chars(Char, N, Tail): N copies of Char, then Tail. */
Term chars_3(Term C, Term N, Term Tail)
{
    long n = count_of(N, 0);
    char_of(C);
    while (n-- > 0)
        Tail = erl_cons(C, Tail);
    return Tail;
}

/* chars(Char, N) -> chars(Char, N, []). */
Term chars_2(Term C, Term N)
{
    return chars_3(C, N, ERL_NIL);
}

/* copies(String, N): N copies of String, joined. */
Term copies(Term S, Term N)
{
    long n = count_of(N, 0);
    list_length(S);
    Term R = ERL_NIL;
    while (n-- > 0)
        R = erl_call(lists, append, S, R);
    return R;
}

/* strip(String, Dir, Char): without Char at the left, right or both ends. */
Term strip_3(Term S, Term Dir, Term C)
{
    int left = Dir == ATOM(left) || Dir == ATOM(both), right = Dir == ATOM(right) || Dir == ATOM(both);
    if (!left && !right)
        erl_error(ATOM(function_clause));
    list_length(S);
    if (left)
        while (erl_is_cons(S) && erl_eq(erl_hd(S), C))
            S = erl_tl(S);
    if (!right)
        return S;
    Term R = erl_call(lists, reverse, S);
    while (erl_is_cons(R) && erl_eq(erl_hd(R), C))
        R = erl_tl(R);
    return erl_call(lists, reverse, R);
}

/* strip(String, Dir) -> strip(String, Dir, $\s). */
Term strip_2(Term S, Term Dir)
{
    return strip_3(S, Dir, erl_mk_int(' '));
}

/* strip(String) -> strip(String, both). */
Term strip_1(Term S)
{
    return strip_3(S, ATOM(both), erl_mk_int(' '));
}

/* left(String, Number, Pad): String cut or padded with Pad on the right to
** Number characters. */
Term left_3(Term S, Term N, Term C)
{
    long n = count_of(N, 0), have = list_length(S);
    char_of(C);
    if (have >= n)
        return erl_call(lists, sublist, S, N);
    return erl_call(lists, append, S, chars_2(C, erl_mk_int(n - have)));
}

Term left_2(Term S, Term N)
{
    return left_3(S, N, erl_mk_int(' '));
}

/* right(String, Number, Pad): String cut (its last characters kept) or
** padded with Pad on the left to Number characters. */
Term right_3(Term S, Term N, Term C)
{
    long n = count_of(N, 0), have = list_length(S);
    char_of(C);
    if (have >= n)
        return substr_2(S, erl_mk_int(have - n + 1));
    return chars_3(C, erl_mk_int(n - have), S);
}

Term right_2(Term S, Term N)
{
    return right_3(S, N, erl_mk_int(' '));
}

/* centre(String, Number, Pad): String centred in Number characters. */
Term centre_3(Term S, Term N, Term C)
{
    long n = count_of(N, 0), have = list_length(S);
    char_of(C);
    if (n == 0)
        return ERL_NIL;
    if (have > n)
        return substr_3(S, erl_mk_int((have - n) / 2 + 1), N);
    long l = (n - have) / 2;
    return chars_3(C, erl_mk_int(l), erl_call(lists, append, S, chars_2(C, erl_mk_int(n - have - l))));
}

Term centre_2(Term S, Term N)
{
    return centre_3(S, N, erl_mk_int(' '));
}

/* join(StringList, Separator): the strings with Separator between them. */
Term join(Term Strings, Term Sep)
{
    list_length(Strings);
    return erl_call(lists, append, erl_call(lists, join, Sep, Strings));
}

/* The Latin-1 case map of one character, for to_upper/to_lower. */
static Term latin1(Term C, int up)
{
    long c = erl_int_value(C);
    if (up && ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7)))
        return erl_mk_int(c - 32);
    if (!up && ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7)))
        return erl_mk_int(c + 32);
    return C;
}

/* The Latin-1 case map of a character or a list of them. */
static Term latin1_case(Term S, int up)
{
    if (erl_is_int(S))
        return latin1(S, up);
    list_length(S);
    Term R = ERL_NIL;
    for (; erl_is_cons(S); S = erl_tl(S)) {
        if (!erl_is_int(erl_hd(S)))
            erl_error(ATOM(function_clause));
        R = erl_cons(latin1(erl_hd(S), up), R);
    }
    return erl_call(lists, reverse, R);
}

/* to_upper(String | Char), to_lower(String | Char): Latin-1 only. */
Term to_upper(Term S) { return latin1_case(S, 1); }
Term to_lower(Term S) { return latin1_case(S, 0); }
