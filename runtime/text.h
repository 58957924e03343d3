/*
** text.h
** Latin-1 and UTF-8, the two encodings of erl's atoms and binaries. cerl
** keeps atom names in UTF-8.
*/
#ifndef CERL_TEXT_H
#define CERL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The UTF-8 text s[0..n) in latin-1, into out (room for n bytes). Returns
** its length, or -1 when a character is beyond 255 or s is not UTF-8. */
long text_utf8_to_latin1(const char *s, size_t n, char *out);

/* The latin-1 text s[0..n) in UTF-8, into out (room for 2n bytes). Returns
** its length. */
size_t text_latin1_to_utf8(const unsigned char *s, size_t n, char *out);

/* Whether s[0..n) is well-formed UTF-8; *chars gets its characters. */
bool text_utf8_valid(const unsigned char *s, size_t n, size_t *chars);

#endif
