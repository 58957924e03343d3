/*
** logger.h
** The heading erl's logger puts above a report, for the reports the runtime
** and the shell print themselves.
*/
#ifndef CERL_LOGGER_H
#define CERL_LOGGER_H

#include "buf.h"

#include <stdint.h>

/* Appends "=KIND REPORT==== 1-Dec-2026::20:02:59.302738 ===\n" to b: kind
** is "ERROR", "WARNING" or "INFO", the time usec microseconds since the
** epoch, written in local time. Callable from any thread. */
void logger_header_at(Buf *b, const char *kind, int64_t usec);

/* logger_header_at with the time now. */
void logger_header(Buf *b, const char *kind);

#endif
