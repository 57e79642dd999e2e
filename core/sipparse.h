/* Tolerant parsers for the few SIP header values the tracker needs; they never allocate. */
#ifndef SIPAUTH_SIPPARSE_H
#define SIPAUTH_SIPPARSE_H

#include <glib.h>
#include <string.h>
#include "sipauth/span.h"

G_BEGIN_DECLS

/* The Digest parameters of one challenge or credentials header. */
typedef struct {
    sa_span_t realm;
    sa_span_t nonce;
    sa_span_t username;
    sa_span_t response;
    sa_span_t auts;
    sa_span_t algorithm;    /* challenges: what their retry is checked against */
    sa_span_t qop;
    sa_span_t opaque;
    sa_span_t nc;           /* credentials: a nonce used again must count up */
    gboolean  stale;
} sa_auth_params_t;

/* The parts of one Via entry that identify a hop and a transaction. */
typedef struct {
    sa_span_t host;     /* sent-by host, without port or IPv6 brackets */
    sa_span_t branch;
} sa_via_t;

typedef struct {
    sa_span_t uri;
    sa_span_t tag;
} sa_from_t;

/* Parses "Digest realm=\"x\", nonce=\"y\", stale=TRUE, ..."; FALSE if value is NULL. */
gboolean sa_parse_auth(const char *value, sa_auth_params_t *params);

/* Parses the first entry of a Via header value into *top (may be NULL);
 * returns the number of comma-separated entries in the value. */
guint sa_parse_via(const char *value, sa_via_t *top);

/* Parses a From/To value: name-addr or addr-spec, then the tag parameter. */
gboolean sa_parse_from(const char *value, sa_from_t *from);

/* Finds ";name=" (name in lower case, matched in either case) among the parameters in [p, end) and returns
 * its value (up to ';' or white space); an empty span if absent. */
sa_span_t sa_find_param(const char *p, const char *end, const char *name);

/* The bindings a REGISTER or its 2xx carries (Contact, Expires), RFC 3261 10.2.1.1 / 10.3. */
typedef struct {
    guint   contacts;        /* Contact entries read (not counting "*") */
    gboolean star;           /* Contact: * (remove every binding) */
    gboolean all_zero;       /* contacts > 0 and each expires (its parameter, else the header) is 0 */
    guint32 max_expires;     /* the longest expiry among the contacts, G_MAXUINT32 if none says one */
} sa_bindings_t;
void sa_parse_bindings(const char *const *contacts, guint n_contacts, const char *expires, sa_bindings_t *out);

/* Parses "314 INVITE"; FALSE unless both a number that fits 32 bits and a method are there. */
gboolean sa_parse_cseq(const char *value, guint32 *number, sa_span_t *method);

/* Whether name[0..len) is expected (len bytes) with ASCII letters in either case; inline because every
 * header and parameter name of every message is compared. */
static inline gboolean
sa_name_equal(const char *name, const char *expected, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        char n = name[i], e = expected[i];
        if (n == e)
            continue;           /* names mostly come in the case they are written in */
        char lower = (char)(e | 0x20);
        if ((char)(n | 0x20) != lower || (guchar)(lower - 'a') >= 26)
            return FALSE;
    }
    return TRUE;
}

/* Whether name[0..len) is the literal expected, of expected_len bytes, in either case. */
static inline gboolean
sa_name_is(const char *name, gsize len, const char *expected, gsize expected_len)
{
    /* expected_len is a constant: the exact-case compare is a few word compares, and names mostly come in
     * the case they are written in */
    return len == expected_len
        && (memcmp(name, expected, expected_len) == 0 || sa_name_equal(name, expected, expected_len));
}
#define SA_NAME_IS(name, len, literal) sa_name_is((name), (len), (literal), sizeof(literal) - 1)

/* Linear white space as both parsers skip it: folding has been joined or is skipped alike. */
static inline gboolean
sa_is_lws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

gboolean sa_span_equal(sa_span_t a, sa_span_t b);
gboolean sa_span_is_empty(sa_span_t span);

G_END_DECLS

#endif
