/*
** fuzz_dist_packet.c
** libFuzzer target: a distribution packet body (runtime/dist/packet.c) from
** any bytes. Whatever is accepted has its parts inside the input, a control
** tuple that decodes again, and builds back to the same bytes.
*/
#include "../../runtime/dist/packet.h"
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
    DistPacket pk;
    if (dist_packet_parse(data, size, &pk) != 0)
        return 0;
    if (pk.ctrl_off != 1 || pk.ctrl_off + pk.ctrl_len != pk.pay_off || pk.pay_off + pk.pay_len != size)
        abort();
    Heap h;
    heap_init(&h);
    size_t used = 0;
    if (etf_decode(&h, data + pk.ctrl_off, pk.ctrl_len, false, &used) == ERL_NONE || used != pk.ctrl_len)
        abort();
    heap_destroy(&h);
    Buf b = {0};
    dist_packet_build_raw(&b, (const char *)data + pk.ctrl_off, pk.ctrl_len, (const char *)data + pk.pay_off,
                          pk.pay_len);
    if (b.len != size + 4 || memcmp(b.s + 4, data, size) != 0)
        abort();
    buf_free(&b);
    return 0;
}
