/* Diameter reader (RFC 6733 sections 3 and 4): the header and the AVPs the Cx analysis needs, nothing copied. */
#include "sipauth/diameter.h"

#include <string.h>

/* AVP codes (RFC 6733 4.5, TS 29.229 6.3, RFC 4740 for the Digest-* ones). */
enum {
    AVP_USER_NAME = 1,
    AVP_DIGEST_REALM = 104,
    AVP_DIGEST_ALGORITHM = 111,
    AVP_DIGEST_HA1 = 121,
    AVP_SESSION_ID = 263,
    AVP_VENDOR_ID = 266,
    AVP_RESULT_CODE = 268,
    AVP_EXPERIMENTAL_RESULT = 297,
    AVP_EXPERIMENTAL_RESULT_CODE = 298,
};
/* 3GPP vendor AVPs. */
enum {
    AVP_PUBLIC_IDENTITY = 601,
    AVP_SIP_AUTHENTICATION_SCHEME = 608,
    AVP_SIP_AUTHENTICATE = 609,
    AVP_SIP_AUTHORIZATION = 610,
    AVP_SIP_AUTH_DATA_ITEM = 612,
    AVP_CONFIDENTIALITY_KEY = 625,
    AVP_INTEGRITY_KEY = 626,
    AVP_SIP_DIGEST_AUTHENTICATE = 635,
};

#define AVP_FLAG_VENDOR 0x80
#define MSG_FLAG_REQUEST 0x80
/* Grouped AVPs inside grouped AVPs: the Cx ones nest two deep; hostile input must not recurse further. */
#define MAX_DEPTH 4

typedef struct {
    guint32 code;
    guint32 vendor;
    sa_span_t data;
} avp_t;

static guint32
read_u24(const guint8 *p)
{
    return ((guint32)p[0] << 16) | ((guint32)p[1] << 8) | p[2];
}

static guint32
read_u32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

/* The next AVP at *pos of data[0..end); FALSE at the end, or (with *malformed) when it does not fit. */
static gboolean
next_avp(const guint8 *data, gsize end, gsize *pos, avp_t *avp, gboolean *malformed)
{
    if (*pos >= end)
        return FALSE;
    if (end - *pos < 8) {
        *malformed = TRUE;
        return FALSE;
    }
    const guint8 *p = data + *pos;
    guint32 length = read_u24(p + 5);
    gboolean vendor = (p[4] & AVP_FLAG_VENDOR) != 0;
    gsize header = vendor ? 12 : 8;
    if (length < header || length > end - *pos) {
        *malformed = TRUE;
        return FALSE;
    }
    avp->code = read_u32(p);
    avp->vendor = vendor ? read_u32(p + 8) : 0;
    avp->data.ptr = (const char *)p + header;
    avp->data.len = length - header;
    gsize padded = ((gsize)length + 3) & ~(gsize)3;
    *pos += MIN(padded, end - *pos);
    return TRUE;
}

static gboolean
avp_u32(const avp_t *avp, guint32 *value)
{
    if (avp->data.len != 4)
        return FALSE;
    *value = read_u32((const guint8 *)avp->data.ptr);
    return TRUE;
}

static void read_group(const sa_span_t *group, sa_diameter_msg_t *msg, sa_cx_auth_item_t *item, guint depth,
                       guint32 parent);

/* One AVP at any depth: parent is the grouped AVP it is in (0 at the top). */
static void
read_avp(const avp_t *avp, sa_diameter_msg_t *msg, sa_cx_auth_item_t *item, guint depth, guint32 parent)
{
    gboolean tgpp = avp->vendor == SA_DIAMETER_VENDOR_3GPP;
    if (avp->vendor == 0) {
        switch (avp->code) {
        case AVP_SESSION_ID:
            if (parent == 0)
                msg->session_id = avp->data;
            return;
        case AVP_USER_NAME:
            if (parent == 0)
                msg->user_name = avp->data;
            return;
        case AVP_RESULT_CODE:
            /* An Experimental-Result says more than a Result-Code beside it. */
            if (parent == 0 && !msg->experimental && avp_u32(avp, &msg->result_code))
                msg->has_result = TRUE;
            return;
        case AVP_EXPERIMENTAL_RESULT:
            if (parent == 0)
                read_group(&avp->data, msg, NULL, depth + 1, AVP_EXPERIMENTAL_RESULT);
            return;
        case AVP_EXPERIMENTAL_RESULT_CODE:
            if (parent == AVP_EXPERIMENTAL_RESULT && avp_u32(avp, &msg->result_code))
                msg->has_result = msg->experimental = TRUE;
            return;
        case AVP_DIGEST_REALM:
            if (item && parent == AVP_SIP_DIGEST_AUTHENTICATE)
                item->digest_realm = avp->data;
            return;
        case AVP_DIGEST_HA1:
            if (item && parent == AVP_SIP_DIGEST_AUTHENTICATE)
                item->digest_ha1 = avp->data;
            return;
        case AVP_DIGEST_ALGORITHM:
            if (item && parent == AVP_SIP_DIGEST_AUTHENTICATE)
                item->digest_algorithm = avp->data;
            return;
        default:
            return;
        }
    }
    if (!tgpp)
        return;
    switch (avp->code) {
    case AVP_PUBLIC_IDENTITY:
        if (parent == 0 && msg->public_identity.ptr == NULL)
            msg->public_identity = avp->data;
        return;
    case AVP_SIP_AUTH_DATA_ITEM:
        if (parent != 0)
            return;
        msg->items_seen++;
        if (msg->n_items < SA_DIAMETER_MAX_ITEMS) {
            sa_cx_auth_item_t *next = &msg->items[msg->n_items++];
            read_group(&avp->data, msg, next, depth + 1, AVP_SIP_AUTH_DATA_ITEM);
        }
        return;
    case AVP_SIP_DIGEST_AUTHENTICATE:
        if (item && parent == AVP_SIP_AUTH_DATA_ITEM)
            read_group(&avp->data, msg, item, depth + 1, AVP_SIP_DIGEST_AUTHENTICATE);
        return;
    default:
        break;
    }
    if (item == NULL || parent != AVP_SIP_AUTH_DATA_ITEM)
        return;
    switch (avp->code) {
    case AVP_SIP_AUTHENTICATION_SCHEME: item->scheme = avp->data; break;
    case AVP_SIP_AUTHENTICATE:          item->authenticate = avp->data; break;
    case AVP_SIP_AUTHORIZATION:         item->authorization = avp->data; break;
    case AVP_CONFIDENTIALITY_KEY:       item->confidentiality_key = avp->data; break;
    case AVP_INTEGRITY_KEY:             item->integrity_key = avp->data; break;
    default:                            break;
    }
}

static void
read_group(const sa_span_t *group, sa_diameter_msg_t *msg, sa_cx_auth_item_t *item, guint depth, guint32 parent)
{
    if (depth > MAX_DEPTH)
        return;
    const guint8 *data = (const guint8 *)group->ptr;
    gsize pos = 0;
    avp_t avp;
    while (next_avp(data, group->len, &pos, &avp, &msg->malformed))
        read_avp(&avp, msg, item, depth, parent);
}

gboolean
sa_diameter_parse(const guint8 *data, gsize len, sa_diameter_msg_t *msg)
{
    memset(msg, 0, sizeof *msg);
    if (data == NULL || len < SA_DIAMETER_HEADER_LEN || data[0] != 1)
        return FALSE;
    guint32 length = read_u24(data + 1);
    if (length < SA_DIAMETER_HEADER_LEN)
        return FALSE;
    msg->request = (data[4] & MSG_FLAG_REQUEST) != 0;
    msg->command = read_u24(data + 5);
    msg->application = read_u32(data + 8);
    msg->hop_by_hop = read_u32(data + 12);
    msg->end_to_end = read_u32(data + 16);
    if (length > len)
        msg->malformed = TRUE;
    sa_span_t avps = { (const char *)data + SA_DIAMETER_HEADER_LEN, MIN((gsize)length, len) - SA_DIAMETER_HEADER_LEN };
    read_group(&avps, msg, NULL, 0, 0);
    return TRUE;
}

gboolean
sa_diameter_code_is_error(guint32 code)
{
    return code >= 3000;
}

typedef struct {
    guint32 code;
    const char *name;
} code_name_t;

/* TS 29.229 section 6.2 (Experimental-Result-Code, vendor 3GPP). */
static const code_name_t cx_codes[] = {
    { 2001, "DIAMETER_FIRST_REGISTRATION" },
    { 2002, "DIAMETER_SUBSEQUENT_REGISTRATION" },
    { 2003, "DIAMETER_UNREGISTERED_SERVICE" },
    { 2004, "DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED" },
    { 5001, "DIAMETER_ERROR_USER_UNKNOWN" },
    { 5002, "DIAMETER_ERROR_IDENTITIES_DONT_MATCH" },
    { 5003, "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED" },
    { 5004, "DIAMETER_ERROR_ROAMING_NOT_ALLOWED" },
    { 5005, "DIAMETER_ERROR_IDENTITY_ALREADY_REGISTERED" },
    { 5006, "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED" },
    { 5007, "DIAMETER_ERROR_IN_ASSIGNMENT_TYPE" },
    { 5008, "DIAMETER_ERROR_TOO_MUCH_DATA" },
    { 5009, "DIAMETER_ERROR_NOT_SUPPORTED_USER_DATA" },
    { 5011, "DIAMETER_ERROR_FEATURE_UNSUPPORTED" },
    { 5012, "DIAMETER_ERROR_SERVING_NODE_FEATURE_UNSUPPORTED" },
};

/* RFC 6733 section 7.1 (Result-Code). */
static const code_name_t base_codes[] = {
    { 2001, "DIAMETER_SUCCESS" },
    { 2002, "DIAMETER_LIMITED_SUCCESS" },
    { 3001, "DIAMETER_COMMAND_UNSUPPORTED" },
    { 3002, "DIAMETER_UNABLE_TO_DELIVER" },
    { 3003, "DIAMETER_REALM_NOT_SERVED" },
    { 3004, "DIAMETER_TOO_BUSY" },
    { 3005, "DIAMETER_LOOP_DETECTED" },
    { 3006, "DIAMETER_REDIRECT_INDICATION" },
    { 3007, "DIAMETER_APPLICATION_UNSUPPORTED" },
    { 4001, "DIAMETER_AUTHENTICATION_REJECTED" },
    { 4002, "DIAMETER_OUT_OF_SPACE" },
    { 5001, "DIAMETER_AVP_UNSUPPORTED" },
    { 5002, "DIAMETER_UNKNOWN_SESSION_ID" },
    { 5003, "DIAMETER_AUTHORIZATION_REJECTED" },
    { 5004, "DIAMETER_INVALID_AVP_VALUE" },
    { 5005, "DIAMETER_MISSING_AVP" },
    { 5012, "DIAMETER_UNABLE_TO_COMPLY" },
};

const char *
sa_diameter_code_name(guint32 code, gboolean experimental)
{
    const code_name_t *table = experimental ? cx_codes : base_codes;
    gsize n = experimental ? G_N_ELEMENTS(cx_codes) : G_N_ELEMENTS(base_codes);
    for (gsize i = 0; i < n; i++)
        if (table[i].code == code)
            return table[i].name;
    return "";
}
