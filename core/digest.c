/* Reads Digest challenge and credentials header values into spans, tolerantly and in one linear pass. */
#include "sipauth/digest.h"

#include <string.h>

typedef struct {
    const char *name;
    gsize       len;
} param_name_t;

static const param_name_t param_names[SA_DIGEST_PARAM_COUNT] = {
#define PARAM_NAME(name, text) { text, sizeof(text) - 1 },
    SA_DIGEST_PARAMS(PARAM_NAME)
#undef PARAM_NAME
};

typedef struct {
    const char *name;
    gsize       len;
    sa_hash_t   hash;
    gboolean    sess;
    guint       strength;
} alg_info_t;

static const alg_info_t alg_infos[] = {
#define ALG_INFO(name, text, hash, sess, strength) { text, sizeof(text) - 1, hash, sess, strength },
    SA_DIGEST_ALGORITHMS(ALG_INFO)
#undef ALG_INFO
};
G_STATIC_ASSERT(G_N_ELEMENTS(alg_infos) == SA_DIGEST_ALG_UNKNOWN);

static gboolean
is_lws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Ends a parameter or scheme name: what may follow a token in this grammar. A table: every byte of every
 * parameter name of every retry and challenge goes through it. */
static const guint8 name_ends[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, ['='] = 1, ['"'] = 1,
};

static gboolean
ends_name(char c)
{
    return name_ends[(guchar)c] != 0;
}

static gboolean
equal_ci(const char *a, gsize a_len, const char *b, gsize b_len)
{
    return a_len == b_len && g_ascii_strncasecmp(a, b, a_len) == 0;
}

static const char *
skip_lws(const char *p, const char *end)
{
    while (p < end && is_lws(*p))
        p++;
    return p;
}

static const char *
skip_name(const char *p, const char *end)
{
    while (p < end && !ends_name(*p))
        p++;
    return p;
}

/* Reads the quoted string whose opening quote is at p; returns what follows its closing quote. */
static const char *
read_quoted(const char *p, const char *end, sa_span_t *value, gboolean *escaped, guint *problems)
{
    const char *start = ++p;
    *escaped = FALSE;
    /* memchr to the closing quote; only a backslash before it needs the byte-by-byte walk. */
    const char *quote = memchr(p, '"', (gsize)(end - p));
    if (quote && memchr(p, '\\', (gsize)(quote - p)) == NULL) {
        p = quote;
    } else {
        while (p < end && *p != '"') {
            if (*p == '\\' && p + 1 < end) {
                *escaped = TRUE;
                p++;
            }
            p++;
        }
    }
    value->ptr = start;
    value->len = (gsize)(p - start);
    if (p == end) {
        *problems |= SA_DIGEST_UNTERMINATED;
        return p;
    }
    return p + 1;
}

static const char *
read_token(const char *p, const char *end, sa_span_t *value)
{
    const char *start = p;
    while (p < end && !is_lws(*p) && *p != ',')
        p++;
    value->ptr = start;
    value->len = (gsize)(p - start);
    return p;
}

/* Whether text[0..len) is lower[0..len) (lower case, digits, '-', '*') with letters in either case; inline:
 * a library call per parameter name was a third of the parse. */
static gboolean
is_name(const char *text, const char *lower, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        char l = lower[i];
        if (l >= 'a' && l <= 'z' ? (text[i] | 0x20) != l : text[i] != l)
            return FALSE;
    }
    return TRUE;
}

/* The parameter names by length and first letter, built once: a name is compared with at most the one or
 * two that share both (a linear search over all names was a third of the parse). */
#define NAME_INDEX_LEN 24
static gint8 first_by_shape[NAME_INDEX_LEN][32];   /* 1 + the first parameter of that shape, 0 for none */
static gint8 next_of_shape[SA_DIGEST_PARAM_COUNT];  /* 1 + the next parameter of the same shape, 0 for none */

static void
build_name_index(void)
{
    for (int i = SA_DIGEST_PARAM_COUNT - 1; i >= 0; i--) {
        g_assert(param_names[i].len < NAME_INDEX_LEN);
        gint8 *first = &first_by_shape[param_names[i].len][param_names[i].name[0] & 31];
        next_of_shape[i] = *first;
        *first = (gint8)(i + 1);
    }
}

static int
find_param(const char *name, gsize len)
{
    static gsize built;
    if (g_once_init_enter(&built)) {
        build_name_index();
        g_once_init_leave(&built, 1);
    }
    if (len >= NAME_INDEX_LEN)
        return -1;
    for (int at = first_by_shape[len][name[0] & 31]; at != 0; at = next_of_shape[at - 1]) {
        if (is_name(name, param_names[at - 1].name, len))
            return at - 1;
    }
    return -1;
}

/* The scheme token at the start of the value; *after is where the parameters begin. */
static sa_digest_scheme_t
read_scheme(const char *value, gsize len, sa_span_t *name, const char **after)
{
    const char *end = value + len;
    const char *p = skip_lws(value, end);
    const char *q = skip_name(p, end);
    name->ptr = p;
    name->len = (gsize)(q - p);
    *after = q;
    /* "realm=..." with no scheme before it is not a scheme. */
    if (q == p || (q < end && (*q == '=' || *q == '"')))
        return SA_SCHEME_NONE;
    return name->len == 6 && is_name(p, "digest", 6) ? SA_SCHEME_DIGEST : SA_SCHEME_OTHER;
}

sa_digest_scheme_t
sa_digest_scheme(const char *value, gsize len)
{
    sa_span_t name;
    const char *after;
    if (value == NULL)
        return SA_SCHEME_NONE;
    return read_scheme(value, len, &name, &after);
}

static gboolean
span_is_ci(sa_span_t span, const char *literal)
{
    return span.ptr && equal_ci(span.ptr, span.len, literal, strlen(literal));
}

/* A qop value ("auth") or list ("auth,auth-int") as a set. */
guint
sa_digest_qop_set(sa_span_t list)
{
    guint set = 0;
    const char *p = list.ptr;
    const char *end = list.ptr + list.len;
    while (p < end) {
        while (p < end && (is_lws(*p) || *p == ','))
            p++;
        const char *token = p;
        while (p < end && !is_lws(*p) && *p != ',')
            p++;
        gsize token_len = (gsize)(p - token);
        if (token_len == 0)
            continue;
        if (equal_ci(token, token_len, "auth", 4))
            set |= SA_QOP_AUTH;
        else if (equal_ci(token, token_len, "auth-int", 8))
            set |= SA_QOP_AUTH_INT;
        else
            set |= SA_QOP_OTHER;
    }
    return set;
}

static void
interpret(sa_digest_params_t *params)
{
    sa_span_t alg = params->value[SA_DIGEST_ALGORITHM];
    params->algorithm = alg.ptr ? sa_digest_alg_from_name(alg.ptr, alg.len) : SA_DIGEST_ALG_MD5;
    if (sa_digest_has(params, SA_DIGEST_QOP))
        params->qop = sa_digest_qop_set(params->value[SA_DIGEST_QOP]);
    params->stale = span_is_ci(params->value[SA_DIGEST_STALE], "true");
    params->userhash = span_is_ci(params->value[SA_DIGEST_USERHASH], "true");
}

static void
keep(sa_digest_params_t *params, int param, sa_span_t value, gboolean quoted, gboolean escaped)
{
    guint32 bit = SA_DIGEST_BIT(param);
    if (params->value[param].ptr) {
        params->duplicated |= bit;
        params->problems |= SA_DIGEST_DUPLICATE;
        return;
    }
    params->value[param] = value;
    if (quoted)
        params->quoted |= bit;
    if (escaped)
        params->escaped |= bit;
}

sa_digest_scheme_t
sa_digest_parse(const char *value, gsize len, sa_digest_params_t *params)
{
    memset(params, 0, sizeof *params);
    params->algorithm = SA_DIGEST_ALG_MD5;
    if (value == NULL)
        return SA_SCHEME_NONE;
    const char *end = value + len;
    const char *p;
    params->scheme = read_scheme(value, len, &params->scheme_name, &p);
    if (params->scheme != SA_SCHEME_DIGEST)
        return params->scheme;

    while (p < end) {
        while (p < end && (is_lws(*p) || *p == ','))
            p++;
        if (p == end)
            break;
        const char *name = p;
        p = skip_name(p, end);
        gsize name_len = (gsize)(p - name);
        if (name_len == 0) {
            /* A stray '=' or a quoted string where a name belongs: skip it whole. */
            params->problems |= SA_DIGEST_GARBAGE;
            if (*p == '"') {
                sa_span_t ignored;
                gboolean escaped;
                p = read_quoted(p, end, &ignored, &escaped, &params->problems);
            } else {
                p++;
            }
            continue;
        }
        const char *after_name = p;
        p = skip_lws(p, end);
        if (p == end || *p != '=') {
            /* "..., Bearer realm=x": a name, white space, another name starts the next challenge. */
            if (p > after_name && p < end && !ends_name(*p)) {
                params->next = name;
                break;
            }
            params->problems |= SA_DIGEST_GARBAGE;
            continue;
        }
        p = skip_lws(p + 1, end);
        sa_span_t param_value;
        gboolean quoted = p < end && *p == '"';
        gboolean escaped = FALSE;
        if (quoted)
            p = read_quoted(p, end, &param_value, &escaped, &params->problems);
        else
            p = read_token(p, end, &param_value);
        params->n_params++;

        int known = find_param(name, name_len);
        if (known >= 0)
            keep(params, known, param_value, quoted, escaped);

        /* Anything between the value and the next comma is not part of it. */
        p = skip_lws(p, end);
        if (p < end && *p != ',') {
            params->problems |= SA_DIGEST_GARBAGE;
            while (p < end && *p != ',')
                p++;
        }
    }
    interpret(params);
    return params->scheme;
}

sa_digest_alg_t
sa_digest_alg_from_name(const char *name, gsize len)
{
    for (int i = 0; i < SA_DIGEST_ALG_UNKNOWN; i++) {
        if (equal_ci(name, len, alg_infos[i].name, alg_infos[i].len))
            return (sa_digest_alg_t)i;
    }
    return SA_DIGEST_ALG_UNKNOWN;
}

const char *
sa_digest_alg_name(sa_digest_alg_t alg)
{
    return alg < SA_DIGEST_ALG_UNKNOWN ? alg_infos[alg].name : "unknown";
}

sa_hash_t
sa_digest_alg_hash(sa_digest_alg_t alg)
{
    return alg < SA_DIGEST_ALG_UNKNOWN ? alg_infos[alg].hash : SA_HASH_NONE;
}

gboolean
sa_digest_alg_is_sess(sa_digest_alg_t alg)
{
    return alg < SA_DIGEST_ALG_UNKNOWN && alg_infos[alg].sess;
}

gboolean
sa_digest_alg_is_aka(sa_digest_alg_t alg)
{
    return alg == SA_DIGEST_ALG_AKAV1_MD5 || alg == SA_DIGEST_ALG_AKAV2_MD5;
}

guint
sa_digest_alg_strength(sa_digest_alg_t alg)
{
    return alg < SA_DIGEST_ALG_UNKNOWN ? alg_infos[alg].strength : 0;
}

gsize
sa_digest_alg_hex_len(sa_digest_alg_t alg)
{
    switch (sa_digest_alg_hash(alg)) {
    case SA_HASH_MD5:
        return 32;
    case SA_HASH_SHA256:
    case SA_HASH_SHA512_256:
        return 64;
    case SA_HASH_NONE:
        break;
    }
    return 0;
}

/* Steps through a value's characters as they are once unquoted. */
typedef struct {
    const char *p;
    const char *end;
    gboolean    escaped;
} value_reader_t;

static value_reader_t
value_reader(const sa_digest_params_t *params, sa_digest_param_t param)
{
    sa_span_t value = params->value[param];
    value_reader_t reader = { value.ptr, value.ptr + value.len, (params->escaped & SA_DIGEST_BIT(param)) != 0 };
    return reader;
}

static gboolean
value_next(value_reader_t *reader, char *c)
{
    if (reader->p >= reader->end)
        return FALSE;
    if (reader->escaped && *reader->p == '\\' && reader->p + 1 < reader->end)
        reader->p++;
    *c = *reader->p++;
    return TRUE;
}

gsize
sa_digest_unquote(const sa_digest_params_t *params, sa_digest_param_t param, char *out)
{
    value_reader_t reader = value_reader(params, param);
    gsize n = 0;
    char c;
    while (value_next(&reader, &c))
        out[n++] = c;
    return n;
}

/* FNV-1a over the unquoted bytes: a value is compared later without being kept. */
#define FNV_START 2166136261u
static guint32
fnv_add(guint32 hash, char c)
{
    return (hash ^ (guint8)c) * 16777619u;
}

guint32
sa_digest_value_hash(const sa_digest_params_t *params, sa_digest_param_t param)
{
    value_reader_t reader = value_reader(params, param);
    guint32 hash = FNV_START;
    char c;
    while (value_next(&reader, &c))
        hash = fnv_add(hash, c);
    return hash;
}

guint32
sa_digest_text_hash(sa_span_t quoted_text)
{
    guint32 hash = FNV_START;
    for (gsize i = 0; quoted_text.ptr && i < quoted_text.len; i++) {
        if (quoted_text.ptr[i] == '\\' && i + 1 < quoted_text.len)
            i++;
        hash = fnv_add(hash, quoted_text.ptr[i]);
    }
    return hash;
}

gboolean
sa_digest_value_is(const sa_digest_params_t *params, sa_digest_param_t param, sa_span_t plain)
{
    if (params->value[param].ptr == NULL || plain.ptr == NULL)
        return FALSE;
    value_reader_t reader = value_reader(params, param);
    gsize i = 0;
    char c;
    while (value_next(&reader, &c)) {
        if (i == plain.len || plain.ptr[i] != c)
            return FALSE;
        i++;
    }
    return i == plain.len;
}

gboolean
sa_digest_value_equal(const sa_digest_params_t *a, sa_digest_param_t param_a,
                      const sa_digest_params_t *b, sa_digest_param_t param_b)
{
    if (a->value[param_a].ptr == NULL || b->value[param_b].ptr == NULL)
        return a->value[param_a].ptr == b->value[param_b].ptr;
    value_reader_t ra = value_reader(a, param_a);
    value_reader_t rb = value_reader(b, param_b);
    for (;;) {
        char ca = 0, cb = 0;
        gboolean more_a = value_next(&ra, &ca);
        gboolean more_b = value_next(&rb, &cb);
        if (more_a != more_b)
            return FALSE;
        if (!more_a)
            return TRUE;
        if (ca != cb)
            return FALSE;
    }
}

gssize
sa_digest_ext_value_decode(sa_span_t ext_value, char *out, gsize out_size)
{
    if (ext_value.ptr == NULL)
        return -1;
    const char *p = ext_value.ptr;
    const char *end = p + ext_value.len;
    const char *quote1 = memchr(p, '\'', ext_value.len);
    if (quote1 == NULL || !equal_ci(p, (gsize)(quote1 - p), "UTF-8", 5))
        return -1;
    const char *quote2 = memchr(quote1 + 1, '\'', (gsize)(end - quote1 - 1));
    if (quote2 == NULL)
        return -1;
    gsize n = 0;
    for (p = quote2 + 1; p < end; p++) {
        char c = *p;
        if (c == '%') {
            if (end - p < 3 || !g_ascii_isxdigit(p[1]) || !g_ascii_isxdigit(p[2]))
                return -1;
            c = (char)(g_ascii_xdigit_value(p[1]) << 4 | g_ascii_xdigit_value(p[2]));
            p += 2;
        }
        if (n == out_size)
            return -1;
        out[n++] = c;
    }
    return g_utf8_validate_len(out, n, NULL) ? (gssize)n : -1;
}

gssize
sa_digest_username(const sa_digest_params_t *params, char *out, gsize out_size)
{
    if (sa_digest_has(params, SA_DIGEST_USERNAME_EXT))
        return sa_digest_ext_value_decode(params->value[SA_DIGEST_USERNAME_EXT], out, out_size);
    if (!sa_digest_has(params, SA_DIGEST_USERNAME))
        return -1;
    value_reader_t reader = value_reader(params, SA_DIGEST_USERNAME);
    gsize n = 0;
    char c;
    while (value_next(&reader, &c)) {
        if (n == out_size)
            return -1;
        out[n++] = c;
    }
    return (gssize)n;
}

gboolean
sa_digest_nc(const sa_digest_params_t *params, guint32 *nc)
{
    return sa_digest_nc_value(params->value[SA_DIGEST_NC], nc);
}

gboolean
sa_digest_nc_value(sa_span_t value, guint32 *nc)
{
    if (value.ptr == NULL || value.len == 0 || value.len > 8)
        return FALSE;
    guint32 n = 0;
    for (gsize i = 0; i < value.len; i++) {
        if (!g_ascii_isxdigit(value.ptr[i]))
            return FALSE;
        n = n << 4 | (guint32)g_ascii_xdigit_value(value.ptr[i]);
    }
    *nc = n;
    return TRUE;
}
