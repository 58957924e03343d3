/*
** iolib_deep.h
** The nested shape of io_lib:format's elements: erl returns the text of
** ~w, ~p and ~s as a deep character list (io_lib:write's [$[, Elems, $]]
** for a list, io_lib_format's [Pad|Text] for a padded field); cerl's printer
** writes flat text, and this rebuilds erl's nesting around it.
*/
#ifndef CERL_IOLIB_DEEP_H
#define CERL_IOLIB_DEEP_H

#include "term.h"

#include <stddef.h>

/* The characters of the UTF-8 text s[0..n) (a byte that is no UTF-8 stands
** for itself, as a Latin-1 character), consed in front of 'tail'. */
Term iolib_chars_onto(Heap *h, const unsigned char *s, size_t n, Term tail);

/* The element io_lib:format returns for one ~w ~p ~W ~P or ~s directive:
** 'd' is the directive's text after the '~' (dlen characters, ending with
** its control character), 'args' the format's arguments from the first one
** the directive takes, 'flat' the flat text cerl's printer wrote for it (a
** character list). Returns erl's deep list whose flattening is 'flat', or
** 'flat' itself when the shape is not known (or would not flatten to it);
** returns ERL_NONE when erl splices the text into the result instead of
** nesting it (~s of an atom). */
Term iolib_deep_element(const char *d, size_t dlen, Term args, Term flat);

#endif
