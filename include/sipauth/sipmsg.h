/* Reads one SIP message's start line and the headers the tracker needs straight from its bytes. */
#ifndef SIPAUTH_SIPMSG_H
#define SIPAUTH_SIPMSG_H

#include <glib.h>
#include "sipauth/tracker.h"

G_BEGIN_DECLS

/* Header lines kept per message: Via (a SIP path has at most Max-Forwards = 70 hops, with room to spare)
 * and each of the four authentication headers (the tracker examines up to 8 realms). */
#define SA_MSG_MAX_VIA   256
#define SA_MSG_MAX_AUTH  8
/* Contact header lines kept: a REGISTER's bindings (more are rare; the rest is not read). */
#define SA_MSG_MAX_CONTACT 8
/* Security-Client/Server/Verify header lines kept (RFC 3329): one or two in practice. */
#define SA_MSG_MAX_SECURITY 4

/* One parsed message: the event to feed and the arrays its header lists point into. */
typedef struct {
    sa_event_t  event;
    const char *via[SA_MSG_MAX_VIA];
    const char *contact[SA_MSG_MAX_CONTACT];
    const char *www_authenticate[SA_MSG_MAX_AUTH];
    const char *proxy_authenticate[SA_MSG_MAX_AUTH];
    const char *authorization[SA_MSG_MAX_AUTH];
    const char *proxy_authorization[SA_MSG_MAX_AUTH];
    const char *security_client[SA_MSG_MAX_SECURITY];
    const char *security_server[SA_MSG_MAX_SECURITY];
    const char *security_verify[SA_MSG_MAX_SECURITY];
} sa_sip_message_t;

/*
 * Parses the message in text[0..len) in place, the way the SIP dissector reads it; text must hold
 * len + 1 bytes. The start line is a Request-Line "METHOD URI SIP/2.0" or a Status-Line
 * "SIP/2.0 CODE ..."; header lines follow up to the first empty line, folded lines are joined, and
 * names match case-insensitively, compact forms (i, f, v, t, m, l) included. Values are what follows the
 * colon and its white space, NUL-terminated inside text, which must outlive the event; bytes that
 * are not UTF-8 become '?'. Via lines past SA_MSG_MAX_VIA and authentication headers past
 * SA_MSG_MAX_AUTH are not kept. Only the message fields of msg->event are set (frame, time and
 * quoted_in_error stay zero). A provisional response (1xx) is read to its start line only: the tracker
 * ignores it. Returns FALSE when the start line is neither (a continuation, garbage).
 */
gboolean sa_sip_message_parse(char *text, gsize len, sa_sip_message_t *msg);

G_END_DECLS

#endif
