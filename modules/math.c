/*
** math.c
** The math module: libm's functions on Erlang numbers, as OTP's math. Each
** takes integers or floats and returns a float; a non-number raises badarg,
** a result that is no finite float badarith, each naming the call as erl does.
*/
#include <cerl.h>

MODULE(math);
EXPORT(pi/0, sin/1, cos/1, tan/1, asin/1, acos/1, atan/1, atan2/2, sinh/1, cosh/1, tanh/1,
       asinh/1, acosh/1, atanh/1, exp/1, log/1, log2/1, log10/1, pow/2, sqrt/1, erf/1, erfc/1,
       ceil/1, floor/1, fmod/2);

/* This module's own sin/1, sqrt/1, ... take libm's plain names, so libm's
** functions are called by the names glibc also gives them for _Float64,
** which is double. */
double sinf64(double), cosf64(double), tanf64(double), asinf64(double), acosf64(double),
    atanf64(double), atan2f64(double, double), sinhf64(double), coshf64(double), tanhf64(double),
    asinhf64(double), acoshf64(double), atanhf64(double), expf64(double), logf64(double),
    log2f64(double), log10f64(double), powf64(double, double), sqrtf64(double), erff64(double),
    erfcf64(double), ceilf64(double), floorf64(double), fmodf64(double, double);
double strtod(const char *, char **);

#define NOT_A_NUMBER(N) "argument " #N ": not a number"
#define OUTSIDE_DOMAIN(N) "argument " #N ": is outside the domain for this function"

static int is_finite(double d)
{
    return d - d == 0.0; /* inf - inf and nan - nan are nan */
}

/* The value of number X as a double, which is infinite for an integer
** beyond the floats' range. */
static double value(Term X)
{
    if (erl_is_int(X))
        return (double)erl_int_value(X);
    if (erl_is_float(X))
        return erl_float_value(X);
    /* a bignum: its digits read as a double */
    char digits[1024];
    int n = 0;
    for (Term S = erl_call(erlang, integer_to_list, X); erl_is_cons(S) && n < (int)sizeof digits - 1; S = erl_tl(S))
        digits[n++] = (char)erl_int_value(erl_hd(S));
    digits[n] = '\0';
    return n == (int)sizeof digits - 1 ? (digits[0] == '-' ? -1.0 : 1.0) / 0.0 : strtod(digits, 0);
}

/* The float Y, the result of a function of one argument X: badarith when it
** is not finite, with erl's note when X is outside the function's domain. */
static Term result1(double y, int outside_domain, const char *fun, Term X)
{
    if (!is_finite(y))
        erl_error_in(ATOM(badarith), outside_domain ? OUTSIDE_DOMAIN(1) : 0, "math", fun, 1, (Term[]){X});
    return erl_mk_float(y);
}

/* A function of one number: f(X) with the badarg erl raises for anything
** else, and result1's badarith. 'domain' says whether x is inside it. */
static Term apply1(double (*f)(double), int (*domain)(double), const char *fun, Term X)
{
    if (!erl_is_number(X))
        erl_error_in(ATOM(badarg), NOT_A_NUMBER(1), "math", fun, 1, (Term[]){X});
    double x = value(X);
    return result1(f(x), !is_finite(x) || (domain && !domain(x)), fun, X);
}

/* A function of two numbers, as apply1; only fmod has a domain (Y =/= 0). */
static Term apply2(double (*f)(double, double), const char *fun, Term X, Term Y)
{
    const char *note = !erl_is_number(X) && !erl_is_number(Y)
                           ? NOT_A_NUMBER(1) "\n" NOT_A_NUMBER(2)
                       : !erl_is_number(X) ? NOT_A_NUMBER(1)
                       : !erl_is_number(Y) ? NOT_A_NUMBER(2)
                                           : 0;
    if (note)
        erl_error_in(ATOM(badarg), note, "math", fun, 2, (Term[]){X, Y});
    double x = value(X), y = value(Y), r = f(x, y);
    if (!is_finite(r))
        erl_error_in(ATOM(badarith), f == fmodf64 && y == 0.0 ? OUTSIDE_DOMAIN(2) : 0, "math", fun, 2,
                     (Term[]){X, Y});
    return erl_mk_float(r);
}

static int non_negative(double x) { return x >= 0.0; }
static int positive(double x) { return x > 0.0; }
static int within_one(double x) { return x >= -1.0 && x <= 1.0; }
static int inside_one(double x) { return x > -1.0 && x < 1.0; }
static int at_least_one(double x) { return x >= 1.0; }

/* pi() -> 3.1415926535897932. */
Term pi(void)
{
    return erl_mk_float(3.14159265358979323846);
}

/* ------------------------------------------------------ trigonometry */

Term sin(Term X) { return apply1(sinf64, 0, "sin", X); }
Term cos(Term X) { return apply1(cosf64, 0, "cos", X); }
Term tan(Term X) { return apply1(tanf64, 0, "tan", X); }
Term asin(Term X) { return apply1(asinf64, within_one, "asin", X); }
Term acos(Term X) { return apply1(acosf64, within_one, "acos", X); }
Term atan(Term X) { return apply1(atanf64, 0, "atan", X); }
/* atan2(Y, X): the angle of the point (X, Y), in (-pi, pi]. */
Term atan2(Term Y, Term X) { return apply2(atan2f64, "atan2", Y, X); }

Term sinh(Term X) { return apply1(sinhf64, 0, "sinh", X); }
Term cosh(Term X) { return apply1(coshf64, 0, "cosh", X); }
Term tanh(Term X) { return apply1(tanhf64, 0, "tanh", X); }
Term asinh(Term X) { return apply1(asinhf64, 0, "asinh", X); }
Term acosh(Term X) { return apply1(acoshf64, at_least_one, "acosh", X); }
Term atanh(Term X) { return apply1(atanhf64, inside_one, "atanh", X); }

/* ------------------------------------------- exponents and logarithms */

Term exp(Term X) { return apply1(expf64, 0, "exp", X); }
Term log(Term X) { return apply1(logf64, positive, "log", X); }
Term log2(Term X) { return apply1(log2f64, positive, "log2", X); }
Term log10(Term X) { return apply1(log10f64, positive, "log10", X); }
/* pow(X, Y): X to the power Y, a float. */
Term pow(Term X, Term Y) { return apply2(powf64, "pow", X, Y); }
Term sqrt(Term X) { return apply1(sqrtf64, non_negative, "sqrt", X); }

Term erf(Term X) { return apply1(erff64, 0, "erf", X); }
Term erfc(Term X) { return apply1(erfcf64, 0, "erfc", X); }

/* ------------------------------------------------------------ rounding */

Term ceil(Term X) { return apply1(ceilf64, 0, "ceil", X); }
Term floor(Term X) { return apply1(floorf64, 0, "floor", X); }
/* fmod(X, Y): the remainder of X / Y, with X's sign. */
Term fmod(Term X, Term Y) { return apply2(fmodf64, "fmod", X, Y); }
