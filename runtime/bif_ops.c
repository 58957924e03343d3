/*
** bif_ops.c
** The operators as functions of module erlang, as erl has them:
** erlang:'+'(1, 2), fun erlang:'=<'/2, apply(erlang, '-', [5]). Each is the
** operator itself (arith.c, term.c), failing as the operator fails.
*/
#include "arith.h"
#include "bif.h"
#include "export.h"

static Term bool_atom(int b)
{
    return b ? AM_true : AM_false;
}

static Term op_eq(Term a, Term b) { return bool_atom(erl_compare(a, b) == 0); }
static Term op_ne(Term a, Term b) { return bool_atom(erl_compare(a, b) != 0); }
static Term op_exact_eq(Term a, Term b) { return bool_atom(erl_eq(a, b)); }
static Term op_exact_ne(Term a, Term b) { return bool_atom(!erl_eq(a, b)); }
static Term op_lt(Term a, Term b) { return bool_atom(erl_compare(a, b) < 0); }
static Term op_le(Term a, Term b) { return bool_atom(erl_compare(a, b) <= 0); }
static Term op_gt(Term a, Term b) { return bool_atom(erl_compare(a, b) > 0); }
static Term op_ge(Term a, Term b) { return bool_atom(erl_compare(a, b) >= 0); }

void bif_ops_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } ops[] = {
        {"+", 2, (void *)erl_add},      {"-", 2, (void *)erl_sub},      {"*", 2, (void *)erl_mul},
        {"/", 2, (void *)erl_fdiv},     {"div", 2, (void *)erl_div},    {"rem", 2, (void *)erl_rem},
        {"band", 2, (void *)erl_band},  {"bor", 2, (void *)erl_bor},    {"bxor", 2, (void *)erl_bxor},
        {"bsl", 2, (void *)erl_bsl},    {"bsr", 2, (void *)erl_bsr},    {"-", 1, (void *)erl_neg},
        {"==", 2, (void *)op_eq},       {"/=", 2, (void *)op_ne},       {"=:=", 2, (void *)op_exact_eq},
        {"=/=", 2, (void *)op_exact_ne}, {"<", 2, (void *)op_lt},       {"=<", 2, (void *)op_le},
        {">", 2, (void *)op_gt},        {">=", 2, (void *)op_ge},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        export_builtin("erlang", ops[i].name, ops[i].arity, ops[i].fn);
}
