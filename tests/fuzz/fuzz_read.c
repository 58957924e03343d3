/*
** fuzz_read.c
** libFuzzer target: the shell's input queue (shell/inqueue.c), which cuts
** text arriving in pieces into commands. The first byte seeds where the
** rest is cut into pieces; fed piece by piece, the queue must hand out
** exactly the commands it hands out when given the whole text at once,
** whatever the cuts (a piece may end just after a dot, inside a string, a
** comment or a float), and inq_ready must agree with inq_take.
*/
#include "../../shell/inqueue.h"
#include "../../shell/lexer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    atom_init();
    return 0;
}

/* Takes every whole command out of q into 'out' (each as "LEN:bytes"),
** checking inq_ready against inq_take. */
static void drain(InputQueue *q, Buf *out)
{
    for (;;) {
        bool ready = inq_ready(q);
        size_t len = 0;
        char *cmd = inq_take(q, &len);
        if (ready != (cmd != NULL))
            abort(); /* the two must agree */
        if (!cmd)
            return;
        if (!len || (cmd[len - 1] != '.' && !(len >= 2 && cmd[len - 2] == '.')))
            abort(); /* a command ends at its dot (and the character after it) */
        buf_printf(out, "%zu:", len);
        buf_put(out, cmd, len);
        free(cmd);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t seed = data[0] * 2654435761u + 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    /* the whole text at once, then closed */
    InputQueue whole = {0};
    Buf want = {0};
    inq_add(&whole, text, len);
    drain(&whole, &want);
    inq_close(&whole);
    drain(&whole, &want);

    /* the same text in pieces of 1 to 16 bytes, taking commands as they
    ** become whole, then closed */
    InputQueue q = {0};
    Buf got = {0};
    for (size_t at = 0; at < len;) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 16;
        if (n > len - at)
            n = len - at;
        inq_add(&q, text + at, n);
        at += n;
        drain(&q, &got);
    }
    inq_close(&q);
    drain(&q, &got);

    if (want.len != got.len || memcmp(buf_str(&want), buf_str(&got), want.len) != 0)
        abort(); /* the cuts changed the commands */
    if (whole.text.len != q.text.len || (q.text.len && memcmp(whole.text.s, q.text.s, q.text.len) != 0))
        abort(); /* or what is left over */
    buf_free(&want);
    buf_free(&got);
    inq_free(&whole);
    inq_free(&q);
    return 0;
}
