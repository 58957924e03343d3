/*
** inqueue.c
** Input read but not yet run, cut into commands at their dot terminators
** (lexer_complete_command), without rescanning text known to hold none.
*/
#include "inqueue.h"
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

void inq_add(InputQueue *q, const char *s, size_t n)
{
    buf_put(&q->text, s, n);
}

void inq_close(InputQueue *q)
{
    q->closed = true;
}

/* Where the first whole command ends, if there is one. */
static bool whole(const InputQueue *q, size_t *end)
{
    if (!q->text.len || !lexer_complete_command(q->text.s, q->text.len, end))
        return false;
    /* "1." may yet become "1.5": only the end of input ends it */
    return q->closed || *end < q->text.len || q->text.s[*end - 1] != '.';
}

bool inq_empty(const InputQueue *q)
{
    return q->text.len == 0;
}

bool inq_ready(InputQueue *q)
{
    size_t end, len = q->text.len;
    if (!len)
        return false;
    /* a dot that ends a command is followed by whitespace, '%' or the end:
    ** one just before the new text may end it now */
    if (q->looked_valid && len >= q->looked_len && q->looked_len > 0 &&
        !memchr(q->text.s + q->looked_len - 1, '.', len - q->looked_len + 1)) {
        q->looked_len = len;
        return false;
    }
    if (whole(q, &end)) {
        q->looked_valid = false;
        return true;
    }
    q->looked_len = len;
    q->looked_valid = true;
    return false;
}

char *inq_take(InputQueue *q, size_t *len)
{
    size_t end;
    if (!whole(q, &end))
        return NULL;
    char *cmd = xmalloc(end + 1);
    memcpy(cmd, q->text.s, end);
    cmd[end] = '\0';
    memmove(q->text.s, q->text.s + end, q->text.len - end + 1);
    q->text.len -= end;
    q->looked_valid = false;
    if (len)
        *len = end;
    return cmd;
}

int inq_getc(InputQueue *q)
{
    if (!q->text.len)
        return -1;
    unsigned char c = (unsigned char)q->text.s[0];
    memmove(q->text.s, q->text.s + 1, q->text.len--);
    q->looked_valid = false;
    return c;
}

void inq_free(InputQueue *q)
{
    buf_free(&q->text);
    *q = (InputQueue){0};
}
