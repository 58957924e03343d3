/*
** arith.h
** Erlang's arithmetic and bitwise operators on terms: integers of any size
** and floats, with the errors erl raises.
*/
#ifndef CERL_ARITH_H
#define CERL_ARITH_H

#include "term.h"

typedef enum ArithOp {
    ARITH_ADD,  /* +    */
    ARITH_SUB,  /* -    */
    ARITH_MUL,  /* *    */
    ARITH_FDIV, /* /    always a float */
    ARITH_DIV,  /* div  integers, truncated toward zero */
    ARITH_REM,  /* rem  integers, the sign of the dividend */
    ARITH_BAND, /* band */
    ARITH_BOR,  /* bor  */
    ARITH_BXOR, /* bxor */
    ARITH_BSL,  /* bsl  a negative count shifts right */
    ARITH_BSR   /* bsr  arithmetic: rounds toward minus infinity */
} ArithOp;

/* a Op b, built on h. Returns the result, or ERL_NONE with *error set to
** the reason erl raises: badarith (an operand that is not a number, or not
** an integer for div, rem and the bitwise operators; division by zero; a
** float result that is not finite, or an integer too large to become a
** float) or system_limit (an integer result beyond erl's size limit). */
Term arith_binary(Heap *h, ArithOp op, Term a, Term b, Term *error);

/* -a, and bnot a; the same errors. */
Term arith_negate(Heap *h, Term a, Term *error);
Term arith_bnot(Heap *h, Term a, Term *error);

/* abs(A) for a number; ERL_NONE when a is not one (erl: badarg). */
Term arith_abs(Heap *h, Term a);

#endif
