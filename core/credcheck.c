/* The secret-free checks of a retry's credentials against its request and the challenges it answers. */
#include "sipauth/credcheck.h"
#include "sipauth/sipuri.h"

#include <string.h>

static const char *const qop_check_texts[] = {
#define QOP_CHECK_TEXT(name, text) text,
    SA_QOP_CHECKS(QOP_CHECK_TEXT)
#undef QOP_CHECK_TEXT
};

static const char *const response_check_texts[] = {
#define RESPONSE_CHECK_TEXT(name, text) text,
    SA_RESPONSE_CHECKS(RESPONSE_CHECK_TEXT)
#undef RESPONSE_CHECK_TEXT
};

const char *
sa_qop_check_text(sa_qop_check_t check)
{
    return (guint)check < G_N_ELEMENTS(qop_check_texts) ? qop_check_texts[check] : "";
}

const char *
sa_response_check_text(sa_response_check_t check)
{
    return (guint)check < G_N_ELEMENTS(response_check_texts) ? response_check_texts[check] : "";
}

gboolean
sa_check_uri_matches(const sa_digest_params_t *credentials, sa_span_t request_uri)
{
    sa_span_t uri = credentials->value[SA_DIGEST_URI];
    if (uri.ptr == NULL)
        return FALSE;
    if (!(credentials->escaped & SA_DIGEST_BIT(SA_DIGEST_URI)))
        return sa_sip_uri_equal(uri, request_uri);
    char *plain = g_malloc(uri.len + 1);
    sa_span_t unquoted = { plain, sa_digest_unquote(credentials, SA_DIGEST_URI, plain) };
    gboolean equal = sa_sip_uri_equal(unquoted, request_uri);
    g_free(plain);
    return equal;
}

gboolean
sa_check_algorithm_offered(sa_digest_alg_set_t offered, sa_digest_alg_t used)
{
    return (offered & SA_DIGEST_ALG_BIT(used)) != 0;
}

gboolean
sa_check_algorithm_downgrade(sa_digest_alg_set_t offered, sa_digest_alg_t used)
{
    guint used_strength = sa_digest_alg_strength(used);
    guint n_offered = 0;
    gboolean stronger = FALSE;
    for (guint a = 0; a <= SA_DIGEST_ALG_UNKNOWN; a++) {
        if (!(offered & SA_DIGEST_ALG_BIT(a)))
            continue;
        n_offered++;
        stronger = stronger || sa_digest_alg_strength((sa_digest_alg_t)a) > used_strength;
    }
    return n_offered >= 2 && used_strength > 0 && stronger;
}

sa_qop_check_t
sa_check_qop(guint offered, const sa_digest_params_t *credentials)
{
    guint used = credentials->qop;
    if (offered && !used)
        return SA_QOP_CHECK_NOT_USED;
    if (!used)
        return SA_QOP_CHECK_OK;
    if ((used & offered) != used)
        return SA_QOP_CHECK_NOT_OFFERED;
    guint32 nc;
    if (!sa_digest_has(credentials, SA_DIGEST_CNONCE) || !sa_digest_nc(credentials, &nc))
        return SA_QOP_CHECK_NO_CNONCE_NC;
    return SA_QOP_CHECK_OK;
}

gboolean
sa_check_nc_incremented(guint32 previous_nc, const sa_digest_params_t *credentials)
{
    guint32 nc;
    if (!sa_digest_nc(credentials, &nc))
        nc = 0;
    return nc > previous_nc;
}

gboolean
sa_check_opaque_echoed(gboolean offered, guint32 offered_hash, const sa_digest_params_t *credentials)
{
    return !offered || (sa_digest_has(credentials, SA_DIGEST_OPAQUE)
                        && sa_digest_value_hash(credentials, SA_DIGEST_OPAQUE) == offered_hash);
}

sa_response_check_t
sa_check_response(const sa_digest_params_t *credentials)
{
    sa_span_t response = credentials->value[SA_DIGEST_RESPONSE];
    if (response.ptr == NULL)
        return SA_RESPONSE_CHECK_MISSING;
    gsize expected = sa_digest_alg_hex_len(credentials->algorithm);
    if (expected == 0)
        return SA_RESPONSE_CHECK_OK;
    if (response.len != expected)
        return SA_RESPONSE_CHECK_WRONG_LENGTH;
    for (gsize i = 0; i < response.len; i++) {
        if (!g_ascii_isxdigit(response.ptr[i]))
            return SA_RESPONSE_CHECK_NOT_HEX;
    }
    return SA_RESPONSE_CHECK_OK;
}

gboolean
sa_check_username_changed(sa_span_t previous, const sa_digest_params_t *credentials)
{
    sa_span_t raw = sa_digest_has(credentials, SA_DIGEST_USERNAME_EXT) ? credentials->value[SA_DIGEST_USERNAME_EXT]
                                                                      : credentials->value[SA_DIGEST_USERNAME];
    if (raw.ptr == NULL || previous.ptr == NULL)
        return raw.ptr != previous.ptr;
    char *name = g_malloc(raw.len + 1);
    gssize len = sa_digest_username(credentials, name, raw.len);
    gboolean changed = len < 0 || (gsize)len != previous.len || memcmp(name, previous.ptr, previous.len) != 0;
    g_free(name);
    return changed;
}
