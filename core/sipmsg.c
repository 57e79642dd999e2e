/* Reads a SIP message's start line and the headers the tracker needs, in place, without allocating. */
#include "sipauth/sipmsg.h"
#include "sipparse.h"

#include <string.h>

#define SIP_VERSION     "SIP/2.0"
#define SIP_VERSION_LEN 7

/* One logical line: [start, end) without its line break; next is where the following line starts. */
typedef struct {
    char *start;
    char *end;
    char *next;
} line_t;

/* Walks the message's lines; remembers the next LF so that CR-only text is not searched again per line. */
typedef struct {
    const char *end;
    char       *next_lf;     /* the first LF at or after the last search, or end */
    char       *searched_to; /* where that search started */
} scan_t;

/* A physical line ends at CR, LF or CRLF, as the SIP dissector's line finder sees it. */
static char *
find_line_end(scan_t *scan, char *p, char **next)
{
    if (scan->searched_to == NULL || p > scan->next_lf) {
        char *lf = memchr(p, '\n', (gsize)(scan->end - p));
        scan->next_lf = lf ? lf : (char *)scan->end;
        scan->searched_to = p;
    }
    char *stop = scan->next_lf;
    char *cr = memchr(p, '\r', (gsize)(stop - p));
    if (cr) {
        *next = cr + 1 == stop && stop < scan->end ? stop + 1 : cr + 1;
        return cr;
    }
    *next = stop < scan->end ? stop + 1 : stop;
    return stop;
}

/* Reads a header line with its folded continuation lines, which are joined with spaces; an empty line
 * (the end of the headers) is never joined with what follows it. */
static void
read_header_line(scan_t *scan, char *p, line_t *line)
{
    line->start = p;
    line->end = find_line_end(scan, p, &line->next);
    if (line->end == line->start)
        return;
    while (line->next < scan->end && (*line->next == ' ' || *line->next == '\t')) {
        for (char *c = line->end; c < line->next; c++)
            *c = ' ';
        line->end = find_line_end(scan, line->next, &line->next);
    }
}

static gboolean
is_version(const char *p, gsize len)
{
    return len == SIP_VERSION_LEN && memcmp(p, SIP_VERSION, SIP_VERSION_LEN) == 0;
}

/* Status-Line "SIP/2.0 407 ..." or Request-Line "METHOD sip:uri SIP/2.0" (strict version, like the SIP
 * dissector's default); sets the method (NUL-terminated in place) or the status. */
static gboolean
parse_start_line(char *start, char *end, sa_event_t *event)
{
    char *space1 = memchr(start, ' ', (gsize)(end - start));
    if (space1 == NULL || space1 == start)
        return FALSE;
    char *token2 = space1 + 1;
    char *space2 = memchr(token2, ' ', (gsize)(end - token2));
    if (space2 == NULL)
        return FALSE;
    gsize token2_len = (gsize)(space2 - token2);
    char *token3 = space2 + 1;

    if (is_version(start, (gsize)(space1 - start))) {
        if (token2_len != 3 || !g_ascii_isdigit(token2[0]) || !g_ascii_isdigit(token2[1])
                || !g_ascii_isdigit(token2[2]))
            return FALSE;
        event->status = (guint)((token2[0] - '0') * 100 + (token2[1] - '0') * 10 + (token2[2] - '0'));
        *end = '\0';                    /* a line break, or text[len] */
        event->reason = token3;
        return TRUE;
    }
    if (token2_len < 3 || memchr(token2 + 1, ':', token2_len - 1) == NULL
            || !is_version(token3, (gsize)(end - token3)))
        return FALSE;
    *space1 = '\0';
    *space2 = '\0';
    event->method = start;
    event->request_uri = token2;
    return TRUE;
}

typedef enum {
    HDR_OTHER,
    HDR_CALL_ID,
    HDR_CSEQ,
    HDR_FROM,
    HDR_VIA,
    HDR_WWW_AUTHENTICATE,
    HDR_PROXY_AUTHENTICATE,
    HDR_AUTHORIZATION,
    HDR_PROXY_AUTHORIZATION,
    HDR_CONTENT_LENGTH,
    HDR_TO,
    HDR_USER_AGENT,
    HDR_EXPIRES,
    HDR_CONTACT,
    HDR_SECURITY_CLIENT,
    HDR_SECURITY_SERVER,
    HDR_SECURITY_VERIFY
} header_t;

/* Whether a header line may be one of those kept, by its first byte: most lines are skipped unread. */
static gboolean
may_be_kept(char first)
{
    switch (first | 0x20) {     /* ASCII letters in either case; no other byte maps to these */
    case 'a': case 'c': case 'e': case 'f': case 'i': case 'l': case 'm': case 'p': case 's': case 't': case 'u':
    case 'v': case 'w':
        return TRUE;
    default:
        return FALSE;
    }
}

/* The name is everything before the colon, as the SIP dissector matches it (no trimming). */
static header_t
classify(const char *name, gsize len)
{
    /* By length, then by first letter: at most one name is compared whole. */
#define IS(literal) ((name[0] | 0x20) == (literal[0] | 0x20) && SA_NAME_IS(name, len, literal))
    switch (len) {
    case 1:
        return IS("i") ? HDR_CALL_ID : IS("f") ? HDR_FROM : IS("v") ? HDR_VIA : IS("l") ? HDR_CONTENT_LENGTH
             : IS("t") ? HDR_TO : IS("m") ? HDR_CONTACT : HDR_OTHER;
    case 2:
        return IS("To") ? HDR_TO : HDR_OTHER;
    case 3:
        return IS("Via") ? HDR_VIA : HDR_OTHER;
    case 4:
        return IS("CSeq") ? HDR_CSEQ : IS("From") ? HDR_FROM : HDR_OTHER;
    case 7:
        return IS("Call-ID") ? HDR_CALL_ID : IS("Contact") ? HDR_CONTACT : IS("Expires") ? HDR_EXPIRES : HDR_OTHER;
    case 10:
        return IS("User-Agent") ? HDR_USER_AGENT : HDR_OTHER;
    case 13:
        return IS("Authorization") ? HDR_AUTHORIZATION : HDR_OTHER;
    case 14:
        return IS("Content-Length") ? HDR_CONTENT_LENGTH : HDR_OTHER;
    case 15:
        return IS("Security-Client") ? HDR_SECURITY_CLIENT : IS("Security-Server") ? HDR_SECURITY_SERVER
             : IS("Security-Verify") ? HDR_SECURITY_VERIFY : HDR_OTHER;
    case 16:
        return IS("WWW-Authenticate") ? HDR_WWW_AUTHENTICATE : HDR_OTHER;
    case 18:
        return IS("Proxy-Authenticate") ? HDR_PROXY_AUTHENTICATE : HDR_OTHER;
    case 19:
        return IS("Proxy-Authorization") ? HDR_PROXY_AUTHORIZATION : HDR_OTHER;
    default:
        return HDR_OTHER;
    }
#undef IS
}

/* Values end up in trees and tables: bytes that are not UTF-8 become '?' (the SIP dissector shows U+FFFD). */
static void
make_utf8(char *value)
{
    const char *bad;
    while (!g_utf8_validate(value, -1, &bad)) {
        value = (char *)bad;
        *value = '?';
    }
}

/* Whether any byte of [p, end) has its high bit set, 32 then 8 at a time: nearly all SIP is ASCII. */
static gboolean
has_non_ascii(const char *p, const char *end)
{
    guint64 high = 0;
    for (; end - p >= 32; p += 32) {
        guint64 words[4];
        memcpy(words, p, sizeof words);
        high |= words[0] | words[1] | words[2] | words[3];
    }
    for (; end - p >= 8; p += 8) {
        guint64 word;
        memcpy(&word, p, 8);
        high |= word;
    }
    for (; p < end; p++)
        high |= (guchar)*p;
    return (high & G_GUINT64_CONSTANT(0x8080808080808080)) != 0;
}

static void
make_list_utf8(const sa_header_list_t *list)
{
    for (guint i = 0; i < list->count; i++)
        make_utf8((char *)list->values[i]);
}

static void
make_event_utf8(sa_event_t *event)
{
    const char **singles[] = { &event->method, &event->request_uri, &event->reason, &event->call_id, &event->cseq,
                               &event->from, &event->to, &event->user_agent, &event->expires };
    for (gsize i = 0; i < G_N_ELEMENTS(singles); i++)
        if (*singles[i])
            make_utf8((char *)*singles[i]);
    make_list_utf8(&event->via);
    make_list_utf8(&event->contact);
    make_list_utf8(&event->www_authenticate);
    make_list_utf8(&event->proxy_authenticate);
    make_list_utf8(&event->authorization);
    make_list_utf8(&event->proxy_authorization);
    make_list_utf8(&event->security_client);
    make_list_utf8(&event->security_server);
    make_list_utf8(&event->security_verify);
}

static void
add_to_list(sa_event_t *event, sa_header_list_t *list, const char **storage, guint capacity, const char *value)
{
    if (list->count < capacity) {
        storage[list->count++] = value;
        list->values = storage;
    } else {
        event->truncated = TRUE;
    }
}

static void
store_header(sa_sip_message_t *msg, header_t header, const char *value)
{
    sa_event_t *event = &msg->event;
    switch (header) {
    case HDR_CALL_ID:
        if (event->call_id == NULL)
            event->call_id = value;
        break;
    case HDR_CSEQ:
        if (event->cseq == NULL)
            event->cseq = value;
        break;
    case HDR_FROM:
        if (event->from == NULL)
            event->from = value;
        break;
    case HDR_VIA:
        add_to_list(event, &event->via, msg->via, SA_MSG_MAX_VIA, value);
        break;
    case HDR_TO:
        if (event->to == NULL)
            event->to = value;
        break;
    case HDR_USER_AGENT:
        if (event->user_agent == NULL)
            event->user_agent = value;
        break;
    case HDR_EXPIRES:
        if (event->expires == NULL)
            event->expires = value;
        break;
    case HDR_CONTACT:
        /* Bindings past the kept ones only make the expiry less exact: not a bound worth reporting. */
        if (event->contact.count < SA_MSG_MAX_CONTACT) {
            msg->contact[event->contact.count++] = value;
            event->contact.values = msg->contact;
        }
        break;
    case HDR_WWW_AUTHENTICATE:
        add_to_list(event, &event->www_authenticate, msg->www_authenticate, SA_MSG_MAX_AUTH, value);
        break;
    case HDR_PROXY_AUTHENTICATE:
        add_to_list(event, &event->proxy_authenticate, msg->proxy_authenticate, SA_MSG_MAX_AUTH, value);
        break;
    case HDR_AUTHORIZATION:
        add_to_list(event, &event->authorization, msg->authorization, SA_MSG_MAX_AUTH, value);
        break;
    case HDR_PROXY_AUTHORIZATION:
        add_to_list(event, &event->proxy_authorization, msg->proxy_authorization, SA_MSG_MAX_AUTH, value);
        break;
    case HDR_SECURITY_CLIENT:
        add_to_list(event, &event->security_client, msg->security_client, SA_MSG_MAX_SECURITY, value);
        break;
    case HDR_SECURITY_SERVER:
        add_to_list(event, &event->security_server, msg->security_server, SA_MSG_MAX_SECURITY, value);
        break;
    case HDR_SECURITY_VERIFY:
        add_to_list(event, &event->security_verify, msg->security_verify, SA_MSG_MAX_SECURITY, value);
        break;
    case HDR_CONTENT_LENGTH:
    case HDR_OTHER:
        break;
    }
}

/* A request's body, for qop=auth-int: from the empty line, Content-Length bytes (the rest when absent, as
 * UDP allows); cut when fewer bytes are there than it says. */
static void
set_body(sa_event_t *event, const char *body, const char *end, const char *content_length)
{
    gsize available = body <= end ? (gsize)(end - body) : 0;
    gsize len = available;
    if (content_length) {
        char *rest;
        guint64 declared = g_ascii_strtoull(content_length, &rest, 10);
        if (rest != content_length) {
            len = (gsize)MIN(declared, (guint64)available);
            event->body_cut = declared > available;
        }
    }
    event->body = (const guint8 *)body;
    event->body_len = len;
}

gboolean
sa_sip_message_parse(char *text, gsize len, sa_sip_message_t *msg)
{
    memset(&msg->event, 0, sizeof msg->event);
    const char *end = text + len;
    scan_t scan = { end, NULL, NULL };
    char *next;
    char *start_end = find_line_end(&scan, text, &next);
    if (!parse_start_line(text, start_end, &msg->event))
        return FALSE;
    /* The tracker has no use for a provisional response's headers. */
    if (msg->event.status >= 100 && msg->event.status < 200)
        return TRUE;

    char *p = next;
    const char *content_length = NULL;
    const char *body = NULL;
    while (p < end) {
        line_t line;
        read_header_line(&scan, p, &line);
        if (line.end == line.start) {
            body = line.next;           /* the empty line before the body */
            break;
        }
        p = line.next;
        if (!may_be_kept(*line.start))
            continue;
        /* Of the 's' lines only Security-Client/Server/Verify are kept: '-' at byte 8, ':' at byte 15 first. */
        if ((*line.start | 0x20) == 's'
                && (line.end - line.start < 16 || line.start[8] != '-' || line.start[15] != ':'))
            continue;
        char *colon = memchr(line.start, ':', (gsize)(line.end - line.start));
        if (colon == NULL)
            continue;
        header_t header = classify(line.start, (gsize)(colon - line.start));
        if (header == HDR_OTHER)
            continue;
        char *value = colon + 1;
        while (value < line.end && sa_is_lws(*value))
            value++;
        *line.end = '\0';               /* a line break, or text[len] */
        if (header == HDR_CONTENT_LENGTH && content_length == NULL)
            content_length = value;
        store_header(msg, header, value);
    }
    if (msg->event.method) {
        if (body)
            set_body(&msg->event, body, end, content_length);
        else
            msg->event.body_cut = content_length != NULL && g_ascii_strtoull(content_length, NULL, 10) > 0;
    }
    if (has_non_ascii(text, p))
        make_event_utf8(&msg->event);
    return TRUE;
}
