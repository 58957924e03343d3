/*
** fuzz_etf.c
** libFuzzer target: binary_to_term on any bytes. Whatever is accepted must
** encode again, and that encoding must decode to an equal term and encode
** to the same bytes (a round trip that erl's own term_to_binary keeps).
*/
#include "../../runtime/etf.h"
#include "../../runtime/term.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        atom_init();
        started = true;
    }
    Heap h;
    heap_init(&h);
    /* the first byte chooses safe decoding (no new atoms) half the time */
    bool safe = size > 0 && data[0] & 1;
    size_t used = 0;
    Term t = etf_decode(&h, data + (size > 0), size - (size > 0), safe, &used);
    if (t != ERL_NONE) {
        EtfOptions opt = {1, 0};
        Term bin = etf_encode(&h, t, &opt);
        if (bin == ERL_NONE)
            abort();
        size_t n = erl_binary_size(bin);
        Term back = etf_decode(&h, erl_binary_bytes(bin), n, true, &used);
        if (back == ERL_NONE || !erl_eq(back, t) || used != n)
            abort();
        Term again = etf_encode(&h, back, &opt);
        if (erl_binary_size(again) != n || memcmp(erl_binary_bytes(again), erl_binary_bytes(bin), n))
            abort();
    }
    heap_destroy(&h);
    return 0;
}
