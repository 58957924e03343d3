/*
** bif_typetest.c
** The type tests as functions of the export table: erlang:is_atom/1 and
** the other is_* guard BIFs, so that `fun erlang:is_atom/1`,
** `erlang:is_list(X)` and `apply(erlang, is_tuple, [T])` answer as in erl.
** (In a guard the shell's evaluator answers them without a call.)
*/
#include "bif.h"
#include "export.h"

static Term bool_term(int b)
{
    return b ? AM_true : AM_false;
}

static Term bif_is_atom(Term t) { return bool_term(erl_is_atom(t)); }
static Term bif_is_binary(Term t) { return bool_term(erl_is_binary(t)); }
static Term bif_is_bitstring(Term t) { return bool_term(erl_is_binary(t)); }
static Term bif_is_boolean(Term t) { return bool_term(t == AM_true || t == AM_false); }
static Term bif_is_float(Term t) { return bool_term(erl_is_float(t)); }
static Term bif_is_integer(Term t) { return bool_term(erl_is_integer(t)); }
static Term bif_is_list(Term t) { return bool_term(erl_is_list(t)); }
static Term bif_is_number(Term t) { return bool_term(erl_is_number(t)); }
static Term bif_is_pid(Term t) { return bool_term(erl_is_pid(t)); }
static Term bif_is_port(Term t) { (void)t; return AM_false; } /* cerl has no ports */
static Term bif_is_reference(Term t) { return bool_term(erl_is_ref(t)); }
static Term bif_is_tuple(Term t) { return bool_term(erl_is_tuple(t)); }

void bif_typetest_init(void)
{
    static const struct {
        const char *name;
        void *fn;
    } bifs[] = {
        {"is_atom", (void *)bif_is_atom},       {"is_binary", (void *)bif_is_binary},
        {"is_bitstring", (void *)bif_is_bitstring}, {"is_boolean", (void *)bif_is_boolean},
        {"is_float", (void *)bif_is_float},     {"is_integer", (void *)bif_is_integer},
        {"is_list", (void *)bif_is_list},       {"is_number", (void *)bif_is_number},
        {"is_pid", (void *)bif_is_pid},         {"is_port", (void *)bif_is_port},
        {"is_reference", (void *)bif_is_reference}, {"is_tuple", (void *)bif_is_tuple},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, 1, bifs[i].fn)->autoimport = true;
}
