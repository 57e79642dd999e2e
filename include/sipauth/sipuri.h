/* SIP URI comparison (RFC 3261 section 19.1.4), for the credentials' uri against the Request-URI. */
#ifndef SIPAUTH_SIPURI_H
#define SIPAUTH_SIPURI_H

#include <glib.h>
#include "sipauth/span.h"

G_BEGIN_DECLS

/* Parameters or headers of one URI compared by the rules; past this many, the URIs compare as strings. */
#define SA_SIP_URI_MAX_PARAMS 64

/*
 * Whether a and b are the same SIP or SIPS URI: same scheme, userinfo case-sensitive, host
 * case-insensitive, a port present in both or in neither (5060 is not implied), %HH equal to the character
 * it encodes unless that is reserved; user, ttl, method, maddr and transport must be in both or in
 * neither, other parameters in both must match, headers must all match. URIs of other schemes (tel, urn)
 * and text that is no URI are equal only when byte for byte equal.
 */
gboolean sa_sip_uri_equal(sa_span_t a, sa_span_t b);

/* The user part of a SIP or SIPS URI (without a password); FALSE when it has none or is not one. */
gboolean sa_sip_uri_user(sa_span_t uri, sa_span_t *user);

G_END_DECLS

#endif
