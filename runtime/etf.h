/*
** etf.h
** Erlang's external term format: term_to_binary and binary_to_term, byte
** for byte as erl 25 writes and reads them.
*/
#ifndef CERL_ETF_H
#define CERL_ETF_H

#include "term.h"

/* The options of term_to_binary/2. */
typedef struct EtfOptions {
    int minor_version; /* 0: floats as text; 1 (erl 25's default); 2: atoms as UTF-8 */
    int compressed;    /* zlib level 1..9, or 0 for none */
} EtfOptions;

/* term_to_binary(T, Options): the encoding of t as a binary on h. A term
** cerl cannot encode yet (a fun) gives ERL_NONE (erl would not fail: the
** caller raises badarg and says why). Cannot fail otherwise. */
Term etf_encode(Heap *h, Term t, const EtfOptions *opt);

/* binary_to_term(Bin, Options): the term encoded in bytes[0..len), built on
** h, and in *used the bytes its encoding took (erl's `used` option). Returns
** ERL_NONE for anything that is not a whole, valid encoding: a bad version
** byte, an unknown tag, a length past the end, an atom beyond 255
** characters, a pid or reference of another node (cerl has none yet), or,
** when 'safe', an atom that does not exist yet. Never reads outside the
** bytes; nesting is limited by memory only. */
Term etf_decode(Heap *h, const unsigned char *bytes, size_t len, bool safe, size_t *used);

#endif
