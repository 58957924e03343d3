/*
** io_lib.c
** The io_lib module: text that io:format would print, returned as a list
** of characters (io_lib_format in cerl.h: the same printer), shaped as
** erl's: the text of each ~p, ~w or ~s is a list of its own, nested as
** erl nests it (runtime/iolib_deep.c; flat where that does not know erl's
** shape: a ~p laid out on several lines, a ~W or ~P its depth cuts).
*/
#include <cerl.h>

MODULE(io_lib);
EXPORT(format/2, fwrite/2, write/1, print/1, write_atom/1, write_string/1, write_char/1, nl/0,
       printable_list/1, printable_latin1_list/1, printable_unicode_list/1, char_list/1,
       deep_char_list/1, latin1_char_list/1);

/* format(Format, Data): Format with the ~ directives of io:format filled
** from the list Data. */
Term format(Term Format, Term Data)
{
    return io_lib_format(Format, Data);
}

/* fwrite(Format, Data) -> format(Format, Data). */
Term fwrite(Term Format, Term Data)
{
    return io_lib_format(Format, Data);
}

/* The one element of the result of format(Format, [T]): the text of a
** ~w, ~p or ~s directive alone. */
static Term text_of(const char *Format, Term T)
{
    return erl_hd(io_lib_format(erl_mk_string(Format), erl_list(T)));
}

/* write(Term): the term as ~w writes it. */
Term write(Term T)
{
    return text_of("~w", T);
}

/* print(Term): the term as ~p lays it out. */
Term print(Term T)
{
    return text_of("~p", T);
}

/* write_atom(Atom): the atom as erl writes it, quoted when it must be. */
Term write_atom(Term Atom)
{
    if (!erl_is_atom(Atom))
        erl_error(ATOM(function_clause));
    return write(Atom);
}

/* write_string(String): the string as erl writes it, in double quotes. */
Term write_string(Term String)
{
    return text_of("~tp", erl_call(lists, flatten, String));
}

/* nl() -> "\n". */
Term nl(void)
{
    return erl_mk_string("\n");
}

/* write_char(Char): the character as erl writes it: $a, $\n, $\000. */
Term write_char(Term Char)
{
    static const struct {
        int c;
        char escape;
    } escapes[] = {{'\b', 'b'}, {'\t', 't'}, {'\n', 'n'}, {'\v', 'v'}, {'\f', 'f'}, {'\r', 'r'},
                   {27, 'e'},   {' ', 's'},  {127, 'd'},  {'\\', '\\'}};
    long c;
    if (!erl_get_long(Char, &c) || c < 0)
        erl_error(ATOM(function_clause));
    for (unsigned long i = 0; i < sizeof escapes / sizeof *escapes; i++)
        if (escapes[i].c == c)
            return erl_list(erl_mk_int('$'), erl_mk_int('\\'), erl_mk_int(escapes[i].escape));
    if (c < 32) /* $\ooo */
        return erl_list(erl_mk_int('$'), erl_mk_int('\\'), erl_mk_int('0' + c / 64), erl_mk_int('0' + c / 8 % 8),
                        erl_mk_int('0' + c % 8));
    return erl_list(erl_mk_int('$'), Char);
}

/* ------------------------------------------------------ char lists */

/* Is every element of the flat list L an integer for which ok() holds? */
static Term all_chars(Term L, int (*ok)(long c))
{
    long c;
    for (; erl_is_cons(L); L = erl_tl(L))
        if (!erl_get_long(erl_hd(L), &c) || !ok(c))
            return ATOM(false);
    return L == ERL_NIL ? ATOM(true) : ATOM(false);
}

static int latin1_printable(long c)
{
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

static int unicode_char(long c)
{
    return c >= 0 && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff) && c != 0xfffe && c != 0xffff;
}

static int unicode_printable(long c)
{
    return latin1_printable(c) || (c >= 256 && unicode_char(c));
}

static int latin1(long c)
{
    return c >= 0 && c <= 255;
}

/* printable_latin1_list(L): is L a list of printable Latin-1 characters? */
Term printable_latin1_list(Term L) { return all_chars(L, latin1_printable); }
/* printable_unicode_list(L): of printable Unicode characters? */
Term printable_unicode_list(Term L) { return all_chars(L, unicode_printable); }
/* printable_list(L): as erl's default (+pc latin1), printable_latin1_list. */
Term printable_list(Term L) { return all_chars(L, latin1_printable); }
/* char_list(L): a flat list of Unicode characters? */
Term char_list(Term L) { return all_chars(L, unicode_char); }
/* latin1_char_list(L): a flat list of Latin-1 characters? */
Term latin1_char_list(Term L) { return all_chars(L, latin1); }

/* deep_char_list(L): a list of Unicode characters and such lists? */
Term deep_char_list(Term L)
{
    long c;
    for (; erl_is_cons(L); L = erl_tl(L)) {
        Term H = erl_hd(L);
        if (erl_is_list(H) ? deep_char_list(H) == ATOM(false) : !erl_get_long(H, &c) || !unicode_char(c))
            return ATOM(false);
    }
    return L == ERL_NIL ? ATOM(true) : ATOM(false);
}
