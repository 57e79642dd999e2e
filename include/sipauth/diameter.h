/* Diameter (RFC 6733) as the Cx interface carries it between the S-CSCF and the HSS (3GPP TS 29.228/29.229):
 * the reader takes one message's bytes and keeps what links a SIP challenge to its authentication vector. */
#ifndef SIPAUTH_DIAMETER_H
#define SIPAUTH_DIAMETER_H

#include <glib.h>
#include "sipauth/span.h"

G_BEGIN_DECLS

#define SA_DIAMETER_HEADER_LEN   20
#define SA_DIAMETER_APP_CX       16777216u  /* TS 29.229 section 6.1 */
#define SA_DIAMETER_VENDOR_3GPP  10415u
/* Cx commands (TS 29.229 section 6.1). */
#define SA_CX_USER_AUTHORIZATION 300u
#define SA_CX_SERVER_ASSIGNMENT  301u
#define SA_CX_MULTIMEDIA_AUTH    303u

/* SIP-Auth-Data-Items read per answer; an HSS sends a few vectors at most. */
#define SA_DIAMETER_MAX_ITEMS    4
/* Longest SIP-Authenticate / SIP-Authorization kept: RAND||AUTN is 32 bytes, XRES 4 to 16, RAND||AUTS 30. */
#define SA_DIAMETER_AUTH_MAX     64

/* One SIP-Auth-Data-Item (TS 29.229 section 6.3.13); spans point into the message, NULL where absent. */
typedef struct {
    sa_span_t scheme;            /* SIP-Authentication-Scheme: "Digest-AKAv1-MD5", "SIP Digest", ... */
    sa_span_t authenticate;      /* SIP-Authenticate: RAND||AUTN (bytes) */
    sa_span_t authorization;     /* SIP-Authorization: XRES (bytes) in an answer, RAND||AUTS in a request */
    sa_span_t confidentiality_key;
    sa_span_t integrity_key;
    sa_span_t digest_realm;      /* SIP-Digest-Authenticate (TS 29.229 6.3.36): Digest-Realm, Digest-HA1 (hex) */
    sa_span_t digest_ha1;
    sa_span_t digest_algorithm;
} sa_cx_auth_item_t;

typedef struct {
    guint32   command;
    guint32   application;
    guint32   hop_by_hop;
    guint32   end_to_end;
    gboolean  request;           /* the R flag */
    gboolean  malformed;         /* an AVP ran past its message or a grouped AVP past its parent: the AVPs read
                                  * before it are kept */
    gboolean  has_result;        /* Result-Code, or Experimental-Result's Experimental-Result-Code */
    gboolean  experimental;      /* ... which of the two */
    guint32   result_code;
    sa_span_t session_id;
    sa_span_t user_name;         /* the private identity */
    sa_span_t public_identity;   /* sip:user@domain or tel: */
    guint     n_items;
    guint     items_seen;        /* SIP-Auth-Data-Items in the message, kept or not */
    sa_cx_auth_item_t items[SA_DIAMETER_MAX_ITEMS];
} sa_diameter_msg_t;

/* Reads one message from its first byte; FALSE when it is no Diameter version 1 message (header cut, length
 * below the header). A message longer than len is read up to len and marked malformed. */
gboolean sa_diameter_parse(const guint8 *data, gsize len, sa_diameter_msg_t *msg);

/* Whether a Result-Code or Experimental-Result-Code says the request failed (RFC 6733 7.1: 3xxx, 4xxx, 5xxx). */
gboolean sa_diameter_code_is_error(guint32 code);

/* The name of a Cx answer's code ("DIAMETER_ERROR_USER_UNKNOWN"), "" when none is known. Experimental-Result
 * codes are 3GPP's (TS 29.229 6.2), Result-Codes the base protocol's (RFC 6733 7.1). */
const char *sa_diameter_code_name(guint32 code, gboolean experimental);

G_END_DECLS

#endif
