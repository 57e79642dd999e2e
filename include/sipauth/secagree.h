/* Security agreement (RFC 3329, TS 33.203 section 7): Security-Client, Security-Server and Security-Verify. */
#ifndef SIPAUTH_SECAGREE_H
#define SIPAUTH_SECAGREE_H

#include <glib.h>
#include "sipauth/tracker.h"

G_BEGIN_DECLS

/* Mechanisms read per header list; more are not looked at. */
#define SA_SEC_MAX_MECHS 8
/* Longest mechanism or algorithm name kept (real ones: "ipsec-3gpp", "hmac-sha-1-96", "aes-cbc"). */
#define SA_SEC_NAME_MAX 24

/* One mechanism of a Security-* header: "ipsec-3gpp; alg=hmac-md5-96; ealg=null; spi-c=..; spi-s=..;
 * port-c=..; port-s=..; q=0.1". Names are lower-cased, cut to SA_SEC_NAME_MAX - 1 bytes. */
typedef struct {
    char    mechanism[SA_SEC_NAME_MAX];
    char    alg[SA_SEC_NAME_MAX];
    char    ealg[SA_SEC_NAME_MAX];     /* empty: absent (TS 33.203: null) */
    guint32 spi_c, spi_s;
    guint16 port_c, port_s;
    guint16 q_milli;                   /* q * 1000; 1000 where absent */
    guint8  has_spi_c : 1, has_spi_s : 1, has_port_c : 1, has_port_s : 1;
} sa_sec_mech_t;

/* Reads every mechanism of a header list (one or more lines, each a comma-separated list) into out, at most
 * max; returns how many. Malformed parameters are skipped; a mechanism without a name is not counted. */
guint sa_sec_parse_list(const sa_header_list_t *list, sa_sec_mech_t *out, guint max);

/* The ipsec-3gpp mechanism of the list with the highest q (the first of equals); FALSE if none. */
gboolean sa_sec_best_ipsec(const sa_sec_mech_t *mechs, guint n, sa_sec_mech_t *best);

/* Whether two mechanisms are the same offer: name, algorithms, SPIs and ports (q is not compared). */
gboolean sa_sec_mech_equal(const sa_sec_mech_t *a, const sa_sec_mech_t *b);

/* Whether a Security-Verify list repeats a Security-Server list: every mechanism of each is in the other. */
gboolean sa_sec_verify_matches(const sa_sec_mech_t *server, guint n_server, const sa_sec_mech_t *verify,
                               guint n_verify);

/* Whether the encryption is null (ealg=null or absent). */
gboolean sa_sec_ealg_null(const sa_sec_mech_t *mech);

/* "ipsec-3gpp hmac-md5-96 null": mechanism, alg, ealg ("null" when absent). */
void sa_sec_mech_text(const sa_sec_mech_t *mech, char *buf, gsize size);

G_END_DECLS

#endif
