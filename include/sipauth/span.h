/* A slice of a caller's string: the core's parsers point into the text they read instead of copying it. */
#ifndef SIPAUTH_SPAN_H
#define SIPAUTH_SPAN_H

#include <glib.h>

/* ptr is NULL when the item is absent; an empty item has ptr set and len 0. */
typedef struct {
    const char *ptr;
    gsize len;
} sa_span_t;

#endif
