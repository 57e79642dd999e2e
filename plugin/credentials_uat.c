/* The UAT sipauth_credentials (SPEC section 10): user, realm, password or HA1, IMS AKA keys. Wireshark keeps
 * the rows (in the profile's file); the core's table is rebuilt from them after every change. */
#include "ws_version.h"
#include "credentials_uat.h"

#include <string.h>
#include <epan/uat.h>

typedef struct {
    char *username;
    char *realm;
    char *password;
    char *ha1;
    char *k;
    char *op;
    char *opc;
    char *amf;
} credentials_row_t;

static credentials_row_t *rows;
static guint n_rows;
static sa_secrets_t *secrets;

UAT_CSTRING_CB_DEF(credentials, username, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, realm, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, password, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, ha1, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, k, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, op, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, opc, credentials_row_t)
UAT_CSTRING_CB_DEF(credentials, amf, credentials_row_t)

static sa_secret_row_t
as_secret_row(const credentials_row_t *row)
{
    sa_secret_row_t out = { row->username, row->realm, row->password, row->ha1, row->k, row->op, row->opc, row->amf };
    return out;
}

/* Secrets are wiped before their memory goes back. */
static void
wipe_free(char *text)
{
    if (text) {
        memset(text, 0, strlen(text));
        g_free(text);
    }
}

static void *
credentials_copy(void *dest, const void *source, size_t len _U_)
{
    credentials_row_t *to = dest;
    const credentials_row_t *from = source;
    to->username = g_strdup(from->username);
    to->realm = g_strdup(from->realm);
    to->password = g_strdup(from->password);
    to->ha1 = g_strdup(from->ha1);
    to->k = g_strdup(from->k);
    to->op = g_strdup(from->op);
    to->opc = g_strdup(from->opc);
    to->amf = g_strdup(from->amf);
    return to;
}

static void
credentials_free(void *record)
{
    credentials_row_t *row = record;
    g_free(row->username);
    g_free(row->realm);
    wipe_free(row->password);
    wipe_free(row->ha1);
    wipe_free(row->k);
    wipe_free(row->op);
    wipe_free(row->opc);
    g_free(row->amf);
}

/* The error names the field, never its value. */
static sa_uat_bool_t
credentials_update(void *record, char **error)
{
    sa_secret_row_t row = as_secret_row(record);
    const char *why = sa_secrets_check_row(&row);
    if (why == NULL)
        return TRUE;
    *error = g_strdup_printf("Credentials of %s: %s", row.username && *row.username ? row.username : "a row", why);
    return FALSE;
}

static void
credentials_post_update(void)
{
    sa_secrets_free(secrets);
    secrets = NULL;
    if (n_rows == 0)
        return;
    secrets = sa_secrets_new();
    for (guint i = 0; i < n_rows; i++) {
        sa_secret_row_t row = as_secret_row(&rows[i]);
        sa_secrets_add(secrets, &row);
    }
}

static void
credentials_reset(void)
{
    sa_secrets_free(secrets);
    secrets = NULL;
}

const sa_secrets_t *
sa_credentials_uat_secrets(void)
{
    return secrets && sa_secrets_count(secrets) > 0 ? secrets : NULL;
}

void
sa_credentials_uat_register(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(credentials, username, "User name",
                        "The credentials' username (IMS: the IMPI)"),
        UAT_FLD_CSTRING(credentials, realm, "Realm", "Realm of these credentials; empty: any realm"),
        UAT_FLD_CSTRING(credentials, password, "Password", "The user's password (not shown in any output)"),
        UAT_FLD_CSTRING(credentials, ha1, "HA1",
                        "Hex H(username:realm:password), instead of a password"),
        UAT_FLD_CSTRING(credentials, k, "K", "IMS AKA: the subscriber key K, 16 bytes hex"),
        UAT_FLD_CSTRING(credentials, op, "OP", "IMS AKA: the operator variant OP, 16 bytes hex (or give OPc)"),
        UAT_FLD_CSTRING(credentials, opc, "OPc", "IMS AKA: OPc, 16 bytes hex (or give OP)"),
        UAT_FLD_CSTRING(credentials, amf, "AMF", "IMS AKA: the AMF, 2 bytes hex; optional"),
        UAT_END_FIELDS
    };
    uat_t *uat = uat_new("SIP credentials", sizeof(credentials_row_t), "sipauth_credentials", TRUE, &rows, &n_rows,
                         UAT_AFFECTS_DISSECTION,
                         "Users whose retries SIPAUTH verifies: the response is recomputed from the password, HA1 or "
                         "AKA keys and compared (sipauth.credentials). Secrets are never shown.",
                         credentials_copy, credentials_update, credentials_free, credentials_post_update,
                         credentials_reset, fields);
    prefs_register_uat_preference(module, "credentials_table", "Credentials",
                                  "Users, passwords and IMS AKA keys to verify authenticated retries with", uat);
}
