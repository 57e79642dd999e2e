/* SIP URI comparison by RFC 3261 section 19.1.4, on spans, without allocating. */
#include "sipauth/sipuri.h"

#include <string.h>

typedef struct {
    gboolean  sips;
    sa_span_t userinfo;   /* ptr NULL without '@' */
    sa_span_t host;
    sa_span_t port;       /* ptr NULL without ':' */
    sa_span_t params;     /* after the first ';' of the host part, up to '?' */
    sa_span_t headers;    /* after '?' */
} sip_uri_t;

/* One character of a component as the comparison sees it: %HH decoded, except a reserved character, which
 * stays an escape and matches only the same escape (RFC 3261 section 19.1.4). */
typedef struct {
    char     c;
    gboolean escaped_reserved;
} unit_t;

static gboolean
is_reserved(char c)
{
    return c != '\0' && strchr(";/?:@&=+$,", c) != NULL;
}

static gboolean
next_unit(const char **p, const char *end, unit_t *unit)
{
    if (*p >= end)
        return FALSE;
    const char *q = *p;
    unit->escaped_reserved = FALSE;
    if (*q == '%' && end - q >= 3 && g_ascii_isxdigit(q[1]) && g_ascii_isxdigit(q[2])) {
        unit->c = (char)(g_ascii_xdigit_value(q[1]) << 4 | g_ascii_xdigit_value(q[2]));
        unit->escaped_reserved = is_reserved(unit->c);
        *p = q + 3;
        return TRUE;
    }
    unit->c = *q;
    *p = q + 1;
    return TRUE;
}

static gboolean
component_equal(sa_span_t a, sa_span_t b, gboolean any_case)
{
    if (a.ptr == NULL || b.ptr == NULL)
        return a.ptr == b.ptr;
    const char *pa = a.ptr, *ea = a.ptr + a.len;
    const char *pb = b.ptr, *eb = b.ptr + b.len;
    for (;;) {
        unit_t ua, ub;
        gboolean more_a = next_unit(&pa, ea, &ua);
        gboolean more_b = next_unit(&pb, eb, &ub);
        if (more_a != more_b)
            return FALSE;
        if (!more_a)
            return TRUE;
        char ca = any_case ? g_ascii_tolower(ua.c) : ua.c;
        char cb = any_case ? g_ascii_tolower(ub.c) : ub.c;
        if (ca != cb || ua.escaped_reserved != ub.escaped_reserved)
            return FALSE;
    }
}

static sa_span_t
span_of(const char *start, const char *end)
{
    sa_span_t span = { start, (gsize)(end - start) };
    return span;
}

static const char *
find_char(const char *p, const char *end, char c)
{
    const char *found = memchr(p, c, (gsize)(end - p));
    return found ? found : end;
}

static gboolean
parse_uri(sa_span_t text, sip_uri_t *uri)
{
    memset(uri, 0, sizeof *uri);
    if (text.ptr == NULL)
        return FALSE;
    const char *p = text.ptr;
    const char *end = p + text.len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *colon = find_char(p, end, ':');
    gsize scheme_len = (gsize)(colon - p);
    if (colon == end)
        return FALSE;
    if (scheme_len == 4 && g_ascii_strncasecmp(p, "sips", 4) == 0)
        uri->sips = TRUE;
    else if (scheme_len != 3 || g_ascii_strncasecmp(p, "sip", 3) != 0)
        return FALSE;
    p = colon + 1;

    const char *question = find_char(p, end, '?');
    /* An '@' can only end the userinfo: neither parameters nor headers may hold one unescaped. */
    const char *at = find_char(p, question, '@');
    if (at < question) {
        uri->userinfo = span_of(p, at);
        p = at + 1;
        /* The user part may hold '?', so the headers start after the userinfo. */
        question = find_char(p, end, '?');
    }
    const char *host_end;
    if (p < question && *p == '[') {
        const char *bracket = find_char(p, question, ']');
        host_end = bracket < question ? bracket + 1 : question;
    } else {
        host_end = p;
        while (host_end < question && *host_end != ':' && *host_end != ';')
            host_end++;
    }
    uri->host = span_of(p, host_end);
    if (uri->host.len == 0)
        return FALSE;
    p = host_end;
    if (p < question && *p == ':') {
        const char *port_end = find_char(p + 1, question, ';');
        uri->port = span_of(p + 1, port_end);
        p = port_end;
    }
    if (p < question && *p == ';')
        uri->params = span_of(p + 1, question);
    else if (p < question)
        return FALSE;   /* text between host and parameters: not a URI we can read */
    if (question < end)
        uri->headers = span_of(question + 1, end);
    return TRUE;
}

/* Ports compare as numbers; one URI with a port and one without never match (no default of 5060). */
static gboolean
port_value(sa_span_t port, guint *value)
{
    if (port.len == 0 || port.len > 5)
        return FALSE;
    guint n = 0;
    for (gsize i = 0; i < port.len; i++) {
        if (!g_ascii_isdigit(port.ptr[i]))
            return FALSE;
        n = n * 10 + (guint)(port.ptr[i] - '0');
    }
    *value = n;
    return n <= 65535;
}

static gboolean
ports_equal(sa_span_t a, sa_span_t b)
{
    if (a.ptr == NULL || b.ptr == NULL)
        return a.ptr == b.ptr;
    guint na, nb;
    if (!port_value(a, &na) || !port_value(b, &nb))
        return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
    return na == nb;
}

/* One "name=value" of the parameters or headers; value.ptr NULL without '='. */
typedef struct {
    sa_span_t name;
    sa_span_t value;
} item_t;

/* Splits list at sep into items; returns their number, or max + 1 when there are more. */
static guint
split_items(sa_span_t list, char sep, item_t *items, guint max)
{
    guint n = 0;
    if (list.ptr == NULL)
        return 0;
    const char *p = list.ptr;
    const char *end = p + list.len;
    while (p < end) {
        const char *item_end = find_char(p, end, sep);
        if (item_end > p) {
            if (n == max)
                return max + 1;
            const char *eq = find_char(p, item_end, '=');
            items[n].name = span_of(p, eq);
            items[n].value.ptr = NULL;
            items[n].value.len = 0;
            if (eq < item_end)
                items[n].value = span_of(eq + 1, item_end);
            n++;
        }
        p = item_end + 1;
    }
    return n;
}

static const item_t *
find_item(const item_t *items, guint n, sa_span_t name)
{
    for (guint i = 0; i < n; i++) {
        if (component_equal(items[i].name, name, TRUE))
            return &items[i];
    }
    return NULL;
}

/* Parameters that change where or how a request goes: present in one URI only, they make the URIs
 * differ (RFC 3261 19.1.4 lists user, ttl, method, maddr; its examples add transport). */
static gboolean
must_be_in_both(sa_span_t name)
{
    static const char *const names[] = { "user", "ttl", "method", "maddr", "transport" };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        sa_span_t literal = { names[i], strlen(names[i]) };
        if (component_equal(name, literal, TRUE))
            return TRUE;
    }
    return FALSE;
}

static gboolean
params_cover(const item_t *a, guint na, const item_t *b, guint nb)
{
    for (guint i = 0; i < na; i++) {
        const item_t *other = find_item(b, nb, a[i].name);
        if (other == NULL ? must_be_in_both(a[i].name) : !component_equal(a[i].value, other->value, TRUE))
            return FALSE;
    }
    return TRUE;
}

static gboolean
headers_cover(const item_t *a, guint na, const item_t *b, guint nb)
{
    for (guint i = 0; i < na; i++) {
        const item_t *other = find_item(b, nb, a[i].name);
        if (other == NULL || !component_equal(a[i].value, other->value, FALSE))
            return FALSE;
    }
    return TRUE;
}

static gboolean
bytes_equal(sa_span_t a, sa_span_t b)
{
    if (a.ptr == NULL || b.ptr == NULL)
        return a.ptr == b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

gboolean
sa_sip_uri_equal(sa_span_t a, sa_span_t b)
{
    /* A UA nearly always echoes the Request-URI byte for byte: equal without reading it. */
    if (bytes_equal(a, b))
        return TRUE;
    sip_uri_t ua, ub;
    if (!parse_uri(a, &ua) || !parse_uri(b, &ub))
        return bytes_equal(a, b);
    if (ua.sips != ub.sips || !component_equal(ua.userinfo, ub.userinfo, FALSE)
        || !component_equal(ua.host, ub.host, TRUE) || !ports_equal(ua.port, ub.port))
        return FALSE;

    item_t items_a[SA_SIP_URI_MAX_PARAMS], items_b[SA_SIP_URI_MAX_PARAMS];
    guint na = split_items(ua.params, ';', items_a, SA_SIP_URI_MAX_PARAMS);
    guint nb = split_items(ub.params, ';', items_b, SA_SIP_URI_MAX_PARAMS);
    if (na > SA_SIP_URI_MAX_PARAMS || nb > SA_SIP_URI_MAX_PARAMS)
        return bytes_equal(a, b);
    if (!params_cover(items_a, na, items_b, nb) || !params_cover(items_b, nb, items_a, na))
        return FALSE;

    na = split_items(ua.headers, '&', items_a, SA_SIP_URI_MAX_PARAMS);
    nb = split_items(ub.headers, '&', items_b, SA_SIP_URI_MAX_PARAMS);
    if (na > SA_SIP_URI_MAX_PARAMS || nb > SA_SIP_URI_MAX_PARAMS)
        return bytes_equal(a, b);
    return na == nb && headers_cover(items_a, na, items_b, nb) && headers_cover(items_b, nb, items_a, na);
}

gboolean
sa_sip_uri_user(sa_span_t text, sa_span_t *user)
{
    sip_uri_t uri;
    user->ptr = NULL;
    user->len = 0;
    if (!parse_uri(text, &uri) || uri.userinfo.ptr == NULL)
        return FALSE;
    /* userinfo = user [ ":" password ] */
    const char *colon = memchr(uri.userinfo.ptr, ':', uri.userinfo.len);
    *user = span_of(uri.userinfo.ptr, colon ? colon : uri.userinfo.ptr + uri.userinfo.len);
    return user->len > 0;
}
