/*
** md5.h
** MD5 (RFC 1321) of a byte string: the fingerprint of a module's object file.
*/
#ifndef CERL_MD5_H
#define CERL_MD5_H

#include <stddef.h>

void md5_digest(const void *data, size_t len, unsigned char out[16]);

#endif
