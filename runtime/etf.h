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

/* term_to_binary(T, Options): the encoding of t as a binary on h. A local
** fun (a shell fun or a C closure) gives ERL_NONE, for the caller to raise
** badarg: erl writes a shell fun as an erl_eval fun whose environment holds
** erl_eval's syntax trees, which cerl does not have, and a C closure has no
** code an erl node could load. Pids and references of any node and export
** funs are written as erl writes them. Cannot fail otherwise. */
Term etf_encode(Heap *h, Term t, const EtfOptions *opt);

/* binary_to_term(Bin, Options): the term encoded in bytes[0..len), built on
** h, and in *used the bytes its encoding took (erl's `used` option). Returns
** ERL_NONE for anything that is not a whole, valid encoding: a bad version
** byte, an unknown tag, a length past the end, an atom beyond 255
** characters, a pid of this node whose serial needs more than 28 bits, a
** reference of this node of more than three words, or, when 'safe', an
** atom that does not exist yet. A pid or reference of another node is kept
** as it came (node.h). Never reads outside the bytes; nesting is limited by
** memory only. */
Term etf_decode(Heap *h, const unsigned char *bytes, size_t len, bool safe, size_t *used);

#endif
