/*
** fuzz_print.c
** libFuzzer target: the term printer (~w, ~p at several widths and depths,
** the shell's result, io:format) on terms decoded from the fuzz bytes.
**
** Decoding: one byte picks the kind of the next term, the bytes after it
** give its contents; running out of input ends every term with []. Nesting
** is bounded by the input's length.
*/
#include "../../runtime/buf.h"
#include "../../runtime/print.h"
#include "../../runtime/term.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Input {
    const uint8_t *p, *end;
    Heap *h;
} Input;

static unsigned byte(Input *in)
{
    return in->p < in->end ? *in->p++ : 0;
}

static uint64_t word(Input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | byte(in);
    return v;
}

static Term decode(Input *in)
{
    if (in->p >= in->end)
        return ERL_NIL;
    unsigned kind = byte(in);
    switch (kind % 12) {
    case 0: { /* small integer, any sign */
        int64_t v = (int64_t)word(in) >> 2;
        return erl_mk_int(v);
    }
    case 1: /* small integer, one byte (printable codes are likely) */
        return erl_mk_int((int64_t)byte(in));
    case 2: { /* atom: length byte then its bytes (any bytes, quoted as needed) */
        size_t n = byte(in) % 32;
        char name[32];
        size_t i = 0;
        for (; i < n && in->p < in->end; i++)
            name[i] = (char)byte(in);
        return atom_from(name, i);
    }
    case 3: { /* cons */
        Term hd = decode(in);
        Term tl = decode(in);
        return term_cons(in->h, hd, tl);
    }
    case 4: { /* tuple of up to 15 elements */
        int n = (int)(byte(in) % 16);
        Term el[16];
        for (int i = 0; i < n; i++)
            el[i] = decode(in);
        return term_tuple(in->h, n, el);
    }
    case 5: { /* float: finite doubles only, as in Erlang */
        uint64_t bits = word(in);
        double d;
        memcpy(&d, &bits, sizeof d);
        return term_float(in->h, isfinite(d) ? d : 0.0);
    }
    case 6: { /* binary */
        size_t n = byte(in);
        if (n > (size_t)(in->end - in->p))
            n = (size_t)(in->end - in->p);
        Term b = term_binary(in->h, in->p, n);
        in->p += n;
        return b;
    }
    case 7: /* pid */
        return pid_make(byte(in) | (uint64_t)byte(in) << 8);
    case 8: { /* string: a proper list of codes */
        size_t n = byte(in);
        if (n > (size_t)(in->end - in->p))
            n = (size_t)(in->end - in->p);
        Term s = term_string(in->h, (const char *)in->p, n);
        in->p += n;
        return s;
    }
    case 9: /* reference */
        return term_make_ref(in->h);
    case 10: { /* list of several elements, proper */
        int n = (int)(byte(in) % 8);
        Term el[8];
        for (int i = 0; i < n; i++)
            el[i] = decode(in);
        Term l = ERL_NIL;
        for (int i = n; i > 0; i--)
            l = term_cons(in->h, el[i - 1], l);
        return l;
    }
    default:
        return ERL_NIL;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    atom_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Heap h;
    heap_init(&h);
    Input in = {data, data + size, &h};
    unsigned width = byte(&in), depth = byte(&in);
    Term t = decode(&in);

    Buf b = {0};
    print_write(&b, t);
    b.len = 0;
    print_pretty(&b, t, 1 + (int)(width % 100), 1 + (int)(width % 120), depth % 2 ? -1 : (int)(depth % 40) + 1);
    b.len = 0;
    print_shell_result(&b, t);
    b.len = 0;
    print_pretty_limited(&b, t, 1 + (int)(width % 60));
    b.len = 0;
    /* io:format with the bytes left over as the format */
    size_t n = (size_t)(in.end - in.p);
    char *fmt = malloc(n + 1);
    if (fmt) {
        memcpy(fmt, in.p, n);
        fmt[n] = '\0';
        print_format(&b, fmt, term_cons(&h, t, term_cons(&h, t, ERL_NIL)));
        free(fmt);
    }
    buf_free(&b);
    heap_destroy(&h);
    return 0;
}
