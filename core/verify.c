/* The credential engine: RFC 7616 / RFC 2617 response, with AKA's password (RFC 3310, RFC 4169) taken from a
 * RES or computed with MILENAGE, compared with the UA's. */
#include "sipauth/verify.h"
#include "hash.h"
#include "milenage.h"

#include <string.h>

static const char *const credentials_names[] = {
    "",
#define CREDENTIALS_NAME(name, value, text) text,
    SA_CREDENTIALS(CREDENTIALS_NAME)
#undef CREDENTIALS_NAME
};

static const char *const check_reason_texts[] = {
#define CHECK_REASON_TEXT(name, text) text,
    SA_CHECK_REASONS(CHECK_REASON_TEXT)
#undef CHECK_REASON_TEXT
};

static const char *const autn_texts[] = {
#define AUTN_TEXT(name, text) text,
    SA_AUTN_CHECKS(AUTN_TEXT)
#undef AUTN_TEXT
};

const char *
sa_credentials_name(sa_credentials_t credentials)
{
    return (guint)credentials < G_N_ELEMENTS(credentials_names) ? credentials_names[credentials] : "";
}

const char *
sa_check_reason_text(sa_check_reason_t reason)
{
    return (guint)reason < G_N_ELEMENTS(check_reason_texts) ? check_reason_texts[reason] : "";
}

const char *
sa_autn_check_text(sa_autn_check_t autn)
{
    return (guint)autn < G_N_ELEMENTS(autn_texts) ? autn_texts[autn] : "";
}

#define AKAV2_PASSWORD_LABEL "http-digest-akav2-password"
/* base64 of the 16-byte PRF output: 24 characters. */
#define AKAV2_PASSWORD_LEN 24
/* RFC 3310 section 3.2: the nonce starts with RAND (16 bytes) and AUTN (16 bytes); their base64 text. */
#define AKA_NONCE_PREFIX_CHARS 44

/* Everything the engine holds while it computes; wiped whatever the outcome. */
typedef struct {
    guint8 rand[SA_AKA_KEY_LEN];
    guint8 autn[SA_AKA_AUTN_LEN];
    guint8 opc[SA_AKA_KEY_LEN];
    guint8 res[16];
    gsize  res_len;
    guint8 ck[SA_AKA_KEY_LEN];
    guint8 ik[SA_AKA_KEY_LEN];
    gboolean have_ck_ik;
    char   aka_password[AKAV2_PASSWORD_LEN + 4];
    char   ha1[SA_HASH_HEX_MAX + 1];
    char   expected[SA_HASH_HEX_MAX + 1];
} work_t;

static void
cannot(sa_verify_result_t *result, sa_check_reason_t reason)
{
    result->credentials = SA_CREDENTIALS_CANNOT_CHECK;
    result->reason = reason;
}

/* Adds a parameter's value once unquoted; only values with escapes need a copy. */
static void
add_param(sa_hasher_t *hasher, const sa_digest_params_t *params, sa_digest_param_t param)
{
    sa_span_t value = params->value[param];
    if (!(params->escaped & SA_DIGEST_BIT(param))) {
        sa_hasher_add(hasher, value.ptr, value.len);
        return;
    }
    char *plain = g_malloc(value.len + 1);
    gsize len = sa_digest_unquote(params, param, plain);
    sa_hasher_add(hasher, plain, len);
    g_free(plain);
}

static gboolean
is_hex(const char *text, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isxdigit(text[i]))
            return FALSE;
    }
    return TRUE;
}

/* RAND and AUTN from the nonce's first 32 bytes; the server data after them is not needed. */
static gboolean
read_rand_autn(sa_span_t nonce, work_t *work)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    if (nonce.ptr == NULL || nonce.len < 43)
        return FALSE;
    gsize chars = MIN(nonce.len, AKA_NONCE_PREFIX_CHARS);
    for (gsize i = 0; i < chars; i++) {
        if (nonce.ptr[i] == '\0' || strchr(alphabet, nonce.ptr[i]) == NULL)
            return FALSE;
    }
    guint8 decoded[AKA_NONCE_PREFIX_CHARS / 4 * 3 + 3];
    gint state = 0;
    guint save = 0;
    gsize len = g_base64_decode_step(nonce.ptr, chars, decoded, &state, &save);
    if (chars % 4 == 3)   /* RAND || AUTN alone, its padding left out: complete the last group */
        len += g_base64_decode_step("=", 1, decoded + len, &state, &save);
    if (len < sizeof work->rand + sizeof work->autn)
        return FALSE;
    memcpy(work->rand, decoded, sizeof work->rand);
    memcpy(work->autn, decoded + sizeof work->rand, sizeof work->autn);
    return TRUE;
}

/* RES, CK and IK from the keys, and whether the challenge's AUTN is what these keys give. */
static sa_check_reason_t
run_milenage(const sa_verify_input_t *input, const sa_secret_t *secret, work_t *work, sa_verify_result_t *result)
{
    if (secret->k == NULL || (secret->op == NULL && secret->opc == NULL))
        return SA_CHECK_SECRET;
    if (!read_rand_autn(input->credentials->value[SA_DIGEST_NONCE], work))
        return SA_CHECK_AKA_NONCE;
    if (secret->opc)
        memcpy(work->opc, secret->opc, sizeof work->opc);
    else if (!sa_milenage_opc(secret->k, secret->op, work->opc))
        return SA_CHECK_SECRET;

    guint8 ak[SA_AKA_AK_LEN], sqn[SA_AKA_SQN_LEN], mac[SA_AKA_MAC_LEN];
    const guint8 *amf = work->autn + SA_AKA_SQN_LEN;
    const guint8 *autn_mac = amf + SA_AKA_AMF_LEN;
    gboolean ok = sa_milenage_f2345(secret->k, work->opc, work->rand, work->res, work->ck, work->ik, ak);
    if (ok) {
        /* As the USIM does: SQN from AUTN with AK, then MAC-A over it and the AUTN's own AMF. */
        for (int i = 0; i < SA_AKA_SQN_LEN; i++)
            sqn[i] = work->autn[i] ^ ak[i];
        ok = sa_milenage_f1(secret->k, work->opc, work->rand, sqn, amf, mac, NULL);
    }
    if (ok) {
        work->res_len = SA_AKA_RES_LEN;
        work->have_ck_ik = TRUE;
        result->autn = memcmp(mac, autn_mac, SA_AKA_MAC_LEN) == 0 ? SA_AUTN_VALID : SA_AUTN_INVALID;
        result->amf_differs = secret->amf && memcmp(secret->amf, amf, SA_AKA_AMF_LEN) != 0;
    }
    sa_wipe(ak, sizeof ak);
    sa_wipe(sqn, sizeof sqn);
    sa_wipe(mac, sizeof mac);
    return ok ? SA_CHECK_NONE : SA_CHECK_SECRET;
}

static sa_check_reason_t
take_res(const sa_secret_t *secret, work_t *work)
{
    if (secret->res == NULL || secret->res_len < 4 || secret->res_len > sizeof work->res)
        return SA_CHECK_SECRET;
    memcpy(work->res, secret->res, secret->res_len);
    work->res_len = secret->res_len;
    if (secret->ik && secret->ck) {
        memcpy(work->ik, secret->ik, sizeof work->ik);
        memcpy(work->ck, secret->ck, sizeof work->ck);
        work->have_ck_ik = TRUE;
    }
    return SA_CHECK_NONE;
}

/* RFC 4169 section 3: password = base64(HMAC-MD5(RES || IK || CK, "http-digest-akav2-password")). */
static gboolean
akav2_password(work_t *work)
{
    guint8 key[sizeof work->res + 2 * SA_AKA_KEY_LEN];
    guint8 prf[16];
    memcpy(key, work->res, work->res_len);
    memcpy(key + work->res_len, work->ik, SA_AKA_KEY_LEN);
    memcpy(key + work->res_len + SA_AKA_KEY_LEN, work->ck, SA_AKA_KEY_LEN);
    gboolean ok = sa_hmac_md5(key, work->res_len + 2 * SA_AKA_KEY_LEN, AKAV2_PASSWORD_LABEL,
                              sizeof AKAV2_PASSWORD_LABEL - 1, prf);
    if (ok) {
        gint state = 0, save = 0;
        gsize len = g_base64_encode_step(prf, sizeof prf, FALSE, work->aka_password, &state, &save);
        len += g_base64_encode_close(FALSE, work->aka_password + len, &state, &save);
        work->aka_password[len] = '\0';
    }
    sa_wipe(key, sizeof key);
    sa_wipe(prf, sizeof prf);
    return ok;
}

/* The user name A1 is computed with, checked against the secret's; g_free it. */
static sa_check_reason_t
a1_username(const sa_digest_params_t *cred, const sa_secret_t *secret, char **username)
{
    *username = NULL;
    if (cred->userhash) {
        /* RFC 7616 section 3.4.4: username is H(username:realm); A1 keeps the plain name. */
        if (secret->username == NULL)
            return SA_CHECK_MISSING_PARAMETER;
        sa_span_t sent = cred->value[SA_DIGEST_USERNAME];
        sa_hasher_t *hasher = sa_hasher_new(sa_digest_alg_hash(cred->algorithm), FALSE);
        char hex[SA_HASH_HEX_MAX + 1];
        if (hasher == NULL)
            return SA_CHECK_ALGORITHM;
        sa_hasher_add_str(hasher, secret->username);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_REALM);
        gsize hex_len = sa_hasher_finish_hex(hasher, hex);
        if (sent.ptr == NULL || sent.len != hex_len || g_ascii_strncasecmp(sent.ptr, hex, hex_len) != 0)
            return SA_CHECK_USER;
        *username = g_strdup(secret->username);
        return SA_CHECK_NONE;
    }
    sa_span_t raw = sa_digest_has(cred, SA_DIGEST_USERNAME_EXT) ? cred->value[SA_DIGEST_USERNAME_EXT]
                                                                : cred->value[SA_DIGEST_USERNAME];
    if (raw.ptr == NULL)
        return SA_CHECK_MISSING_PARAMETER;
    char *name = g_malloc(raw.len + 1);
    gssize len = sa_digest_username(cred, name, raw.len);
    if (len < 0) {
        g_free(name);
        return SA_CHECK_MISSING_PARAMETER;
    }
    name[len] = '\0';
    if (secret->username && (strlen(secret->username) != (gsize)len || memcmp(secret->username, name, len) != 0)) {
        g_free(name);
        return SA_CHECK_USER;
    }
    *username = name;
    return SA_CHECK_NONE;
}

/* HA1 in hex, for the algorithm's hash; -sess variants bind it to nonce and cnonce (RFC 7616 3.4.2). */
static sa_check_reason_t
compute_ha1(const sa_digest_params_t *cred, const sa_secret_t *secret, const char *username, work_t *work)
{
    sa_hash_t hash = sa_digest_alg_hash(cred->algorithm);
    gsize hex_len = sa_digest_alg_hex_len(cred->algorithm);
    if (secret->kind == SA_SECRET_HA1) {
        if (secret->ha1_hex == NULL || strlen(secret->ha1_hex) != hex_len || !is_hex(secret->ha1_hex, hex_len))
            return SA_CHECK_SECRET;
        for (gsize i = 0; i < hex_len; i++)
            work->ha1[i] = g_ascii_tolower(secret->ha1_hex[i]);
        work->ha1[hex_len] = '\0';
    } else {
        const char *password;
        gsize password_len;
        if (secret->kind == SA_SECRET_PASSWORD) {
            password = secret->password;
            password_len = secret->password ? secret->password_len : 0;
        } else if (cred->algorithm == SA_DIGEST_ALG_AKAV2_MD5) {
            if (!work->have_ck_ik)
                return SA_CHECK_SECRET;
            if (!akav2_password(work))
                return SA_CHECK_SECRET;
            password = work->aka_password;
            password_len = strlen(work->aka_password);
        } else {
            password = (const char *)work->res;   /* RFC 3310 section 3.4: the password is RES, as bytes */
            password_len = work->res_len;
        }
        sa_hasher_t *hasher = sa_hasher_new(hash, TRUE);
        if (hasher == NULL)
            return SA_CHECK_ALGORITHM;
        sa_hasher_add_str(hasher, username);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_REALM);
        sa_hasher_add(hasher, ":", 1);
        if (password_len)
            sa_hasher_add(hasher, password, password_len);
        sa_hasher_finish_hex(hasher, work->ha1);
    }
    if (sa_digest_alg_is_sess(cred->algorithm)) {
        if (!sa_digest_has(cred, SA_DIGEST_CNONCE))
            return SA_CHECK_MISSING_PARAMETER;
        sa_hasher_t *hasher = sa_hasher_new(hash, TRUE);
        if (hasher == NULL)
            return SA_CHECK_ALGORITHM;
        sa_hasher_add_str(hasher, work->ha1);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_NONCE);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_CNONCE);
        sa_hasher_finish_hex(hasher, work->ha1);
    }
    return SA_CHECK_NONE;
}

/* response = H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop (RFC 2069 compatibility). */
static sa_check_reason_t
compute_response(const sa_verify_input_t *input, work_t *work)
{
    const sa_digest_params_t *cred = input->credentials;
    sa_hash_t hash = sa_digest_alg_hash(cred->algorithm);
    char body_hex[SA_HASH_HEX_MAX + 1];
    char ha2[SA_HASH_HEX_MAX + 1];

    sa_hasher_t *hasher;
    if (cred->qop == SA_QOP_AUTH_INT) {
        if ((hasher = sa_hasher_new(hash, FALSE)) == NULL)
            return SA_CHECK_ALGORITHM;
        if (input->body_len)
            sa_hasher_add(hasher, input->body, input->body_len);
        sa_hasher_finish_hex(hasher, body_hex);
    }
    if ((hasher = sa_hasher_new(hash, FALSE)) == NULL)
        return SA_CHECK_ALGORITHM;
    sa_hasher_add_str(hasher, input->method);
    sa_hasher_add(hasher, ":", 1);
    add_param(hasher, cred, SA_DIGEST_URI);
    if (cred->qop == SA_QOP_AUTH_INT) {
        sa_hasher_add(hasher, ":", 1);
        sa_hasher_add_str(hasher, body_hex);
    }
    sa_hasher_finish_hex(hasher, ha2);

    if ((hasher = sa_hasher_new(hash, TRUE)) == NULL)
        return SA_CHECK_ALGORITHM;
    sa_hasher_add_str(hasher, work->ha1);
    sa_hasher_add(hasher, ":", 1);
    add_param(hasher, cred, SA_DIGEST_NONCE);
    sa_hasher_add(hasher, ":", 1);
    if (cred->qop) {
        add_param(hasher, cred, SA_DIGEST_NC);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_CNONCE);
        sa_hasher_add(hasher, ":", 1);
        add_param(hasher, cred, SA_DIGEST_QOP);
        sa_hasher_add(hasher, ":", 1);
    }
    sa_hasher_add_str(hasher, ha2);
    sa_hasher_finish_hex(hasher, work->expected);
    return SA_CHECK_NONE;
}

/* What the response can be computed from, secret aside. */
static sa_check_reason_t
check_inputs(const sa_verify_input_t *input)
{
    const sa_digest_params_t *cred = input->credentials;
    if (cred->qop != 0 && cred->qop != SA_QOP_AUTH && cred->qop != SA_QOP_AUTH_INT)
        return SA_CHECK_QOP;
    if (!sa_digest_has(cred, SA_DIGEST_REALM) || !sa_digest_has(cred, SA_DIGEST_NONCE)
        || !sa_digest_has(cred, SA_DIGEST_URI) || input->method == NULL)
        return SA_CHECK_MISSING_PARAMETER;
    guint32 nc;
    /* An nc that is not 8LHEX is no nonce count the server can have counted with. */
    if (cred->qop && (!sa_digest_has(cred, SA_DIGEST_CNONCE) || !sa_digest_nc(cred, &nc)))
        return SA_CHECK_MISSING_PARAMETER;
    sa_span_t response = cred->value[SA_DIGEST_RESPONSE];
    /* Two responses: which one the server read is not for us to guess. */
    if (response.ptr == NULL || (cred->duplicated & SA_DIGEST_BIT(SA_DIGEST_RESPONSE))
        || response.len != sa_digest_alg_hex_len(cred->algorithm)
        || !is_hex(response.ptr, response.len))
        return SA_CHECK_MALFORMED_RESPONSE;
    if (cred->qop == SA_QOP_AUTH_INT && input->body_cut)
        return SA_CHECK_BODY_CUT;
    return SA_CHECK_NONE;
}

static sa_check_reason_t
verify_with(const sa_verify_input_t *input, const sa_secret_t *secret, work_t *work, sa_verify_result_t *result)
{
    const sa_digest_params_t *cred = input->credentials;
    gboolean aka_alg = sa_digest_alg_is_aka(cred->algorithm);
    gboolean aka_secret = secret->kind == SA_SECRET_AKA_RES || secret->kind == SA_SECRET_AKA_KEYS;
    if (aka_alg != aka_secret)
        return SA_CHECK_SECRET;

    sa_check_reason_t reason = SA_CHECK_NONE;
    if (secret->kind == SA_SECRET_AKA_KEYS)
        reason = run_milenage(input, secret, work, result);
    else if (secret->kind == SA_SECRET_AKA_RES)
        reason = take_res(secret, work);
    if (reason != SA_CHECK_NONE)
        return reason;
    if (result->resync)
        return SA_CHECK_RESYNC;
    if ((reason = check_inputs(input)) != SA_CHECK_NONE)
        return reason;

    char *username;
    if ((reason = a1_username(cred, secret, &username)) != SA_CHECK_NONE)
        return reason;
    reason = compute_ha1(cred, secret, username, work);
    g_free(username);
    if (reason != SA_CHECK_NONE)
        return reason;
    if ((reason = compute_response(input, work)) != SA_CHECK_NONE)
        return reason;

    sa_span_t response = cred->value[SA_DIGEST_RESPONSE];
    gboolean same = g_ascii_strncasecmp(response.ptr, work->expected, response.len) == 0;
    result->credentials = same ? SA_CREDENTIALS_CORRECT : SA_CREDENTIALS_WRONG;
    return SA_CHECK_NONE;
}

void
sa_verify(const sa_verify_input_t *input, const sa_secret_t *secret, sa_verify_result_t *result)
{
    memset(result, 0, sizeof *result);
    const sa_digest_params_t *cred = input->credentials;
    result->resync = sa_digest_has(cred, SA_DIGEST_AUTS);
    if (cred->scheme != SA_SCHEME_DIGEST) {
        cannot(result, SA_CHECK_SCHEME);
        return;
    }
    if (cred->algorithm == SA_DIGEST_ALG_UNKNOWN) {
        cannot(result, SA_CHECK_ALGORITHM);
        return;
    }
    if (secret == NULL || secret->kind == SA_SECRET_NONE) {
        result->credentials = SA_CREDENTIALS_NOT_CHECKED;
        return;
    }
    work_t work;
    memset(&work, 0, sizeof work);
    sa_check_reason_t reason = verify_with(input, secret, &work, result);
    if (reason != SA_CHECK_NONE)
        cannot(result, reason);
    sa_wipe(&work, sizeof work);
}
