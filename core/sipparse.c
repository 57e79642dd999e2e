/* Tolerant parsers for the SIP header values the tracker needs: Digest parameters, Via, From, CSeq. */
#include "sipparse.h"

#include <string.h>

static const char *
skip_lws(const char *p)
{
    while (*p && sa_is_lws(*p))
        p++;
    return p;
}

gboolean
sa_span_equal(sa_span_t a, sa_span_t b)
{
    if (a.ptr == NULL || b.ptr == NULL)
        return a.ptr == b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

gboolean
sa_span_is_empty(sa_span_t span)
{
    return span.ptr == NULL || span.len == 0;
}

/* What ends the parts of an auth-param list, by byte: a table, since every name and token byte is tested (a
 * strcspn call per short name cost more than the name). */
enum { AUTH_SEP = 1 /* , SP HT CR LF */, AUTH_EQ = 2, AUTH_END = 4 /* NUL */ };
static const guint8 auth_class[256] = {
    [0] = AUTH_END, [','] = AUTH_SEP, [' '] = AUTH_SEP, ['\t'] = AUTH_SEP, ['\r'] = AUTH_SEP, ['\n'] = AUTH_SEP,
    ['='] = AUTH_EQ,
};

static const char *
skip_until(const char *p, guint classes)
{
    while (!(auth_class[(guchar)*p] & classes))
        p++;
    return p;
}

/* Reads one auth-param value at p: a quoted string (escapes kept raw) or a token. */
static const char *
read_param_value(const char *p, sa_span_t *value)
{
    if (*p == '"') {
        const char *start = ++p;
        for (;;) {
            p += strcspn(p, "\"\\");
            if (*p == '\\' && p[1]) {
                p += 2;
                continue;
            }
            if (*p == '\\')
                p++;
            break;
        }
        value->ptr = start;
        value->len = (gsize)(p - start);
        return *p == '"' ? p + 1 : p;
    }
    const char *start = p;
    p = skip_until(p, AUTH_SEP | AUTH_END);
    value->ptr = start;
    value->len = (gsize)(p - start);
    return p;
}

gboolean
sa_parse_auth(const char *value, sa_auth_params_t *params)
{
    memset(params, 0, sizeof *params);
    if (value == NULL)
        return FALSE;

    /* Skip the scheme ("Digest"); the parameters follow it. */
    const char *p = skip_lws(value);
    p = skip_until(p, AUTH_SEP | AUTH_END);

    while (*p) {
        while (auth_class[(guchar)*p] & AUTH_SEP)
            p++;
        const char *name = p;
        p = skip_until(p, AUTH_SEP | AUTH_EQ | AUTH_END);
        gsize name_len = (gsize)(p - name);
        p = skip_lws(p);
        if (*p != '=') {
            if (name_len == 0 && *p)
                p++;
            continue;
        }
        p = skip_lws(p + 1);
        sa_span_t param;
        p = read_param_value(p, &param);

        switch (name_len) {   /* by length first: most parameters are none of these */
        case 2:
            if (SA_NAME_IS(name, name_len, "nc"))
                params->nc = param;
            break;
        case 3:
            if (SA_NAME_IS(name, name_len, "qop"))
                params->qop = param;
            break;
        case 4:
            if (SA_NAME_IS(name, name_len, "auts"))
                params->auts = param;
            break;
        case 5:
            if (SA_NAME_IS(name, name_len, "realm"))
                params->realm = param;
            else if (SA_NAME_IS(name, name_len, "nonce"))
                params->nonce = param;
            else if (SA_NAME_IS(name, name_len, "stale"))
                params->stale = param.len == 4 && g_ascii_strncasecmp(param.ptr, "true", 4) == 0;
            break;
        case 6:
            if (SA_NAME_IS(name, name_len, "opaque"))
                params->opaque = param;
            break;
        case 9:
            if (SA_NAME_IS(name, name_len, "algorithm"))
                params->algorithm = param;
            break;
        case 8:
            if (SA_NAME_IS(name, name_len, "username"))
                params->username = param;
            else if (SA_NAME_IS(name, name_len, "response"))
                params->response = param;
            break;
        default:
            break;
        }
    }
    return TRUE;
}

sa_span_t
sa_find_param(const char *p, const char *end, const char *name)
{
    sa_span_t found = { NULL, 0 };
    gsize name_len = strlen(name);
    while (p < end) {
        const char *semi = memchr(p, ';', (gsize)(end - p));
        if (semi == NULL)
            break;
        p = semi + 1;
        while (p < end && sa_is_lws(*p))
            p++;
        if ((gsize)(end - p) > name_len && sa_name_equal(p, name, name_len)) {
            const char *q = p + name_len;
            while (q < end && sa_is_lws(*q))
                q++;
            if (q < end && *q == '=') {
                q++;
                while (q < end && sa_is_lws(*q))
                    q++;
                const char *v = q;
                q = MIN(q + strcspn(q, "; \t\r\n"), end);
                found.ptr = v;
                found.len = (gsize)(q - v);
                return found;
            }
        }
    }
    return found;
}

/* End of the Via entry starting at p: the next comma outside quotes, or the end. */
static const char *
via_entry_end(const char *p)
{
    gboolean quoted = FALSE;
    for (;;) {
        p += strcspn(p, ",\"");
        if (*p == '\0' || (*p == ',' && !quoted))
            return p;
        if (*p == '"')
            quoted = !quoted;
        p++;
    }
}

static void
parse_via_entry(const char *p, const char *end, sa_via_t *via)
{
    memset(via, 0, sizeof *via);
    while (p < end && sa_is_lws(*p))
        p++;
    /* sent-protocol: "SIP/2.0/UDP", possibly with LWS around the slashes. */
    while (p < end && !sa_is_lws(*p)) {
        p = MIN(p + strcspn(p, " \t\r\n"), end);
        while (p < end && sa_is_lws(*p) && p + 1 < end && (p[1] == '/' || p[-1] == '/'))
            p++;
    }
    while (p < end && sa_is_lws(*p))
        p++;
    const char *host = p;
    const char *host_end;
    if (p < end && *p == '[') {
        host = ++p;
        while (p < end && *p != ']')
            p++;
        host_end = p;
    } else {
        p = MIN(p + strcspn(p, ":; \t\r\n"), end);
        host_end = p;
    }
    via->host.ptr = host;
    via->host.len = (gsize)(host_end - host);
    via->branch = sa_find_param(host_end, end, "branch");
}

guint
sa_parse_via(const char *value, sa_via_t *top)
{
    if (top)
        memset(top, 0, sizeof *top);
    if (value == NULL)
        return 0;
    guint entries = 0;
    const char *p = value;
    for (;;) {
        const char *end = via_entry_end(p);
        const char *q = skip_lws(p);
        if (q < end) {
            if (entries == 0 && top)
                parse_via_entry(p, end, top);
            entries++;
        }
        if (*end == '\0')
            break;
        p = end + 1;
    }
    return entries;
}

gboolean
sa_parse_from(const char *value, sa_from_t *from)
{
    memset(from, 0, sizeof *from);
    if (value == NULL)
        return FALSE;
    const char *end = value + strlen(value);
    const char *params_start;
    const char *lt = strchr(value, '<');
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (gt == NULL)
            gt = end;
        from->uri.ptr = lt + 1;
        from->uri.len = (gsize)(gt - lt - 1);
        params_start = gt;
    } else {
        const char *p = skip_lws(value);
        const char *semi = strchr(p, ';');
        const char *uri_end = semi ? semi : end;
        while (uri_end > p && sa_is_lws(uri_end[-1]))
            uri_end--;
        from->uri.ptr = p;
        from->uri.len = (gsize)(uri_end - p);
        params_start = uri_end;
    }
    from->tag = sa_find_param(params_start, end, "tag");
    return TRUE;
}

gboolean
sa_parse_cseq(const char *value, guint32 *number, sa_span_t *method)
{
    *number = 0;
    method->ptr = NULL;
    method->len = 0;
    if (value == NULL)
        return FALSE;
    const char *p = skip_lws(value);
    if (!g_ascii_isdigit(*p))
        return FALSE;
    guint64 n = 0;
    while (g_ascii_isdigit(*p)) {
        n = n * 10 + (guint64)(*p - '0');
        if (n > G_MAXUINT32)
            return FALSE;
        p++;
    }
    p = skip_lws(p);
    const char *m = p;
    while (*p && !sa_is_lws(*p))
        p++;
    if (p == m)
        return FALSE;
    *number = (guint32)n;
    method->ptr = m;
    method->len = (gsize)(p - m);
    return TRUE;
}

/* A delta-seconds value (RFC 3261 25.1): digits, saturating; FALSE if none. */
static gboolean
delta_seconds(const char *p, const char *end, guint32 *value)
{
    guint64 v = 0;
    const char *start = p;
    for (; p < end && g_ascii_isdigit(*p); p++)
        v = MIN(v * 10 + (guint64)(*p - '0'), (guint64)(G_MAXUINT32 - 1));
    *value = (guint32)v;
    return p > start;
}

/* End of the Contact entry starting at p: the next comma outside quotes and <...>, or end. */
static const char *
contact_entry_end(const char *p, const char *end)
{
    gboolean quoted = FALSE, bracketed = FALSE;
    for (; p < end; p++) {
        if (quoted) {
            if (*p == '\\' && p + 1 < end)
                p++;
            else if (*p == '"')
                quoted = FALSE;
        } else if (*p == '"') {
            quoted = TRUE;
        } else if (*p == '<') {
            bracketed = TRUE;
        } else if (*p == '>') {
            bracketed = FALSE;
        } else if (*p == ',' && !bracketed) {
            return p;
        }
    }
    return end;
}

static void
add_contact(const char *p, const char *end, guint32 header_expires, sa_bindings_t *out, gboolean *any_nonzero)
{
    while (p < end && sa_is_lws(*p))
        p++;
    while (end > p && sa_is_lws(end[-1]))
        end--;
    if (p == end)
        return;
    if (end - p == 1 && *p == '*') {
        out->star = TRUE;
        return;
    }
    /* Parameters of the binding follow the URI: after '>' in a name-addr, after the URI's end otherwise. */
    const char *gt = memchr(p, '>', (gsize)(end - p));
    const char *params = gt ? gt : p;
    sa_span_t param = sa_find_param(params, end, "expires");
    guint32 expires = header_expires;
    if (param.ptr)
        delta_seconds(param.ptr, param.ptr + param.len, &expires);
    out->contacts++;
    if (expires != 0)
        *any_nonzero = TRUE;
    if (expires != G_MAXUINT32 && (out->max_expires == G_MAXUINT32 || expires > out->max_expires))
        out->max_expires = expires;
}

void
sa_parse_bindings(const char *const *contacts, guint n_contacts, const char *expires, sa_bindings_t *out)
{
    memset(out, 0, sizeof *out);
    out->max_expires = G_MAXUINT32;
    guint32 header_expires = G_MAXUINT32;
    if (expires) {
        const char *p = skip_lws(expires);
        if (!delta_seconds(p, p + strlen(p), &header_expires))
            header_expires = G_MAXUINT32;
    }
    gboolean any_nonzero = FALSE;
    for (guint i = 0; i < n_contacts; i++) {
        const char *p = contacts[i];
        if (p == NULL)
            continue;
        const char *end = p + strlen(p);
        while (p < end) {
            const char *entry_end = contact_entry_end(p, end);
            add_contact(p, entry_end, header_expires, out, &any_nonzero);
            p = entry_end + 1;
        }
    }
    /* An expiry of "none" is the registrar's default, not zero. */
    out->all_zero = out->contacts > 0 && !any_nonzero && out->max_expires == 0;
}
