/*
** logger.c
** The heading erl's logger puts above a report (see logger.h).
*/
#include "logger.h"

#include <sys/time.h>
#include <time.h>

void logger_header_at(Buf *b, const char *kind, int64_t usec)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t secs = (time_t)(usec / 1000000);
    struct tm tm;
    localtime_r(&secs, &tm);
    buf_printf(b, "=%s REPORT==== %d-%s-%d::%02d:%02d:%02d.%06lld ===\n", kind, tm.tm_mday, months[tm.tm_mon],
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)(usec % 1000000));
}

void logger_header(Buf *b, const char *kind)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    logger_header_at(b, kind, (int64_t)tv.tv_sec * 1000000 + tv.tv_usec);
}
