/*
** text.c
** Conversions between latin-1 and UTF-8.
*/
#include "text.h"

/* The bytes of the UTF-8 sequence starting with byte c, or 0 when c cannot
** start one. */
static unsigned seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
}

bool text_utf8_valid(const unsigned char *s, size_t n, size_t *chars)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        unsigned k = seq_len(s[i]);
        if (!k || i + k > n)
            return false;
        for (unsigned j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
        i += k;
    }
    *chars = count;
    return true;
}

long text_utf8_to_latin1(const char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            out[len++] = (char)c;
        else if ((c == 0xc2 || c == 0xc3) && i + 1 < n && ((unsigned char)s[i + 1] & 0xc0) == 0x80)
            out[len++] = (char)(((c & 0x1f) << 6) | ((unsigned char)s[++i] & 0x3f));
        else
            return -1;
    }
    return (long)len;
}

size_t text_latin1_to_utf8(const unsigned char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80) {
            out[len++] = (char)s[i];
        } else {
            out[len++] = (char)(0xc0 | s[i] >> 6);
            out[len++] = (char)(0x80 | (s[i] & 0x3f));
        }
    }
    return len;
}
