/*
** io_lib.c
** The io_lib module: text that io:format would print, returned as a list
** of characters (io_lib_format in cerl.h: the same printer). erl returns
** a deep list where cerl returns a flat one: the same characters, which
** lists:flatten shows alike.
*/
#include <cerl.h>

MODULE(io_lib);
EXPORT(format/2, fwrite/2, write/1, print/1, write_atom/1, write_string/1, nl/0);

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

/* write(Term) -> format("~w", [Term]). */
Term write(Term T)
{
    return io_lib_format(erl_mk_string("~w"), erl_list(T));
}

/* print(Term) -> format("~p", [Term]). */
Term print(Term T)
{
    return io_lib_format(erl_mk_string("~p"), erl_list(T));
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
    return io_lib_format(erl_mk_string("~tp"), erl_list(erl_call(lists, flatten, String)));
}

/* nl() -> "\n". */
Term nl(void)
{
    return erl_mk_string("\n");
}
