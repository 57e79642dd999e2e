/* Security agreement headers (RFC 3329): parsing and comparison, plain C. */
#include "sipauth/secagree.h"

#include <stdio.h>
#include <string.h>

static const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static const char *
trim_end(const char *start, const char *end)
{
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return end;
}

static void
copy_name(char out[SA_SEC_NAME_MAX], const char *p, const char *end)
{
    gsize n = MIN((gsize)(end - p), (gsize)SA_SEC_NAME_MAX - 1);
    for (gsize i = 0; i < n; i++)
        out[i] = g_ascii_tolower(p[i]);
    out[n] = '\0';
}

static gboolean
name_is(const char *p, const char *end, const char *literal)
{
    gsize n = strlen(literal);
    return (gsize)(end - p) == n && g_ascii_strncasecmp(p, literal, n) == 0;
}

/* A decimal number of at most max; FALSE when not all digits or too large. */
static gboolean
read_number(const char *p, const char *end, guint32 max, guint32 *out)
{
    if (p >= end)
        return FALSE;
    guint64 value = 0;
    for (; p < end; p++) {
        if (!g_ascii_isdigit(*p))
            return FALSE;
        value = value * 10 + (guint64)(*p - '0');
        if (value > max)
            return FALSE;
    }
    *out = (guint32)value;
    return TRUE;
}

/* q = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ], in thousandths. */
static gboolean
read_q(const char *p, const char *end, guint16 *out)
{
    if (p >= end || (*p != '0' && *p != '1'))
        return FALSE;
    guint value = (guint)(*p - '0') * 1000;
    p++;
    if (p < end) {
        if (*p != '.')
            return FALSE;
        p++;
        guint scale = 100;
        for (; p < end; p++, scale /= 10) {
            if (!g_ascii_isdigit(*p) || scale == 0)
                return FALSE;
            value += (guint)(*p - '0') * scale;
        }
    }
    if (value > 1000)
        return FALSE;
    *out = (guint16)value;
    return TRUE;
}

static void
read_param(sa_sec_mech_t *mech, const char *p, const char *end)
{
    const char *eq = p < end ? memchr(p, '=', (gsize)(end - p)) : NULL;
    if (eq == NULL)
        return;
    const char *name_end = trim_end(p, eq);
    const char *value = skip_ws(eq + 1, end);
    const char *value_end = trim_end(value, end);
    if (value_end - value >= 2 && *value == '"' && value_end[-1] == '"') {
        value++;
        value_end--;
    }
    guint32 number;
    if (name_is(p, name_end, "alg"))
        copy_name(mech->alg, value, value_end);
    else if (name_is(p, name_end, "ealg"))
        copy_name(mech->ealg, value, value_end);
    else if (name_is(p, name_end, "spi-c") && read_number(value, value_end, G_MAXUINT32, &number)) {
        mech->spi_c = number;
        mech->has_spi_c = 1;
    } else if (name_is(p, name_end, "spi-s") && read_number(value, value_end, G_MAXUINT32, &number)) {
        mech->spi_s = number;
        mech->has_spi_s = 1;
    } else if (name_is(p, name_end, "port-c") && read_number(value, value_end, G_MAXUINT16, &number)) {
        mech->port_c = (guint16)number;
        mech->has_port_c = 1;
    } else if (name_is(p, name_end, "port-s") && read_number(value, value_end, G_MAXUINT16, &number)) {
        mech->port_s = (guint16)number;
        mech->has_port_s = 1;
    } else if (name_is(p, name_end, "q")) {
        read_q(value, value_end, &mech->q_milli);
    }
}

/* One mechanism: "name *(; param)"; FALSE without a name. */
static gboolean
read_mech(const char *p, const char *end, sa_sec_mech_t *mech)
{
    memset(mech, 0, sizeof *mech);
    mech->q_milli = 1000;
    p = skip_ws(p, end);
    if (p >= end)
        return FALSE;
    const char *semi = memchr(p, ';', (gsize)(end - p));
    const char *name_end = trim_end(p, semi ? semi : end);
    if (name_end == p)
        return FALSE;
    copy_name(mech->mechanism, p, name_end);
    while (semi) {
        p = skip_ws(semi + 1, end);
        semi = p < end ? memchr(p, ';', (gsize)(end - p)) : NULL;
        read_param(mech, p, trim_end(p, semi ? semi : end));
    }
    return TRUE;
}

guint
sa_sec_parse_list(const sa_header_list_t *list, sa_sec_mech_t *out, guint max)
{
    guint n = 0;
    for (guint i = 0; list && i < list->count && n < max; i++) {
        const char *p = list->values[i];
        if (p == NULL)
            continue;
        const char *end = p + strlen(p);
        /* Parameter values are tokens (RFC 3329): a comma always separates mechanisms. */
        while (p < end && n < max) {
            const char *comma = memchr(p, ',', (gsize)(end - p));
            const char *stop = comma ? comma : end;
            if (read_mech(p, stop, &out[n]))
                n++;
            p = comma ? comma + 1 : end;
        }
    }
    return n;
}

gboolean
sa_sec_best_ipsec(const sa_sec_mech_t *mechs, guint n, sa_sec_mech_t *best)
{
    const sa_sec_mech_t *found = NULL;
    for (guint i = 0; i < n; i++)
        if (strcmp(mechs[i].mechanism, "ipsec-3gpp") == 0 && (found == NULL || mechs[i].q_milli > found->q_milli))
            found = &mechs[i];
    if (found)
        *best = *found;
    return found != NULL;
}

gboolean
sa_sec_ealg_null(const sa_sec_mech_t *mech)
{
    return mech->ealg[0] == '\0' || strcmp(mech->ealg, "null") == 0;
}

gboolean
sa_sec_mech_equal(const sa_sec_mech_t *a, const sa_sec_mech_t *b)
{
    return strcmp(a->mechanism, b->mechanism) == 0 && strcmp(a->alg, b->alg) == 0
        && sa_sec_ealg_null(a) == sa_sec_ealg_null(b) && (sa_sec_ealg_null(a) || strcmp(a->ealg, b->ealg) == 0)
        && a->has_spi_c == b->has_spi_c && a->spi_c == b->spi_c && a->has_spi_s == b->has_spi_s
        && a->spi_s == b->spi_s && a->has_port_c == b->has_port_c && a->port_c == b->port_c
        && a->has_port_s == b->has_port_s && a->port_s == b->port_s;
}

static gboolean
contains(const sa_sec_mech_t *list, guint n, const sa_sec_mech_t *mech)
{
    for (guint i = 0; i < n; i++)
        if (sa_sec_mech_equal(&list[i], mech))
            return TRUE;
    return FALSE;
}

gboolean
sa_sec_verify_matches(const sa_sec_mech_t *server, guint n_server, const sa_sec_mech_t *verify, guint n_verify)
{
    if (n_verify == 0)
        return FALSE;
    for (guint i = 0; i < n_server; i++)
        if (!contains(verify, n_verify, &server[i]))
            return FALSE;
    for (guint i = 0; i < n_verify; i++)
        if (!contains(server, n_server, &verify[i]))
            return FALSE;
    return TRUE;
}

void
sa_sec_mech_text(const sa_sec_mech_t *mech, char *buf, gsize size)
{
    snprintf(buf, size, "%s%s%s %s", mech->mechanism, mech->alg[0] ? " " : "", mech->alg,
             mech->ealg[0] ? mech->ealg : "null");
}

/* The tracker's side of the agreement: REGISTERs sent by the UE (one Via) with Security-Client, the offers of
 * their 401s, what the retry did with them and the ESP that followed. Kept in side tables made on the first
 * Security-* header, so that a capture without any pays one pointer test per message. */
#include "records.h"

typedef struct {
    const sa_attempt_t *attempt;
    sa_sec_mech_t *server;       /* the 401's Security-Server mechanisms (n_server) */
    guint    n_server;
    sa_sec_mech_t offer;         /* its ipsec-3gpp mechanism, when has_offer */
    gboolean has_offer;
    char     text[3 * SA_SEC_NAME_MAX + 8];
    guint8   ue[SA_ADDR_MAX];    /* the UE: where the 401 went; ue_len 0 where unknown */
    guint    ue_len;
    guint8   pcscf[SA_ADDR_MAX]; /* the P-CSCF: where it came from */
    guint    pcscf_len;
    guint32  esp_frame;          /* the first ESP from the UE with the offered spi-s, while no retry */
    sa_finding_mask_t challenge_findings;
    sa_finding_mask_t retry_findings;
} sec_record_t;

struct sa_sec_state {
    GHashTable *client_txns;     /* sa_txn_t: REGISTERs from the UE with Security-Client */
    GHashTable *by_attempt;      /* sa_attempt_t -> sec_record_t */
    GPtrArray  *awaiting_esp;    /* sec_record_t with an offer, no retry and no ESP yet */
};

static void
record_free(gpointer data)
{
    sec_record_t *record = data;
    g_free(record->server);
    g_free(record);
}

static sa_sec_state_t *
sec_state(sa_tracker_t *tracker)
{
    if (tracker->sec == NULL) {
        tracker->sec = g_new0(sa_sec_state_t, 1);
        tracker->sec->client_txns = g_hash_table_new(NULL, NULL);
        tracker->sec->by_attempt = g_hash_table_new_full(NULL, NULL, NULL, record_free);
        tracker->sec->awaiting_esp = g_ptr_array_new();
    }
    return tracker->sec;
}

void
sa_sec_free(sa_sec_state_t *sec)
{
    if (sec == NULL)
        return;
    g_hash_table_destroy(sec->client_txns);
    g_hash_table_destroy(sec->by_attempt);
    g_ptr_array_free(sec->awaiting_esp, TRUE);
    g_free(sec);
}

/* A REGISTER sent by the UE to the P-CSCF: one Via. */
static gboolean
from_ue(const sa_txn_t *txn)
{
    return txn->via_count == 1 && g_strcmp0(txn->method, "REGISTER") == 0;
}

void
sa_sec_note_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event)
{
    if (event->security_client.count == 0 || !from_ue(txn))
        return;
    g_hash_table_add(sec_state(tracker)->client_txns, txn);
}

static void
copy_addr(guint8 *out, guint *len, sa_addr_t addr)
{
    *len = addr.len <= SA_ADDR_MAX ? addr.len : 0;
    if (*len)
        memcpy(out, addr.bytes, *len);
}

static gboolean
addr_is(const guint8 *bytes, guint len, sa_addr_t addr)
{
    return len == 0 || addr.len == 0 || (addr.len == len && memcmp(bytes, addr.bytes, len) == 0);
}

void
sa_sec_note_challenge(sa_tracker_t *tracker, sa_attempt_t *attempt, const sa_event_t *event)
{
    if (event->status != 401 || !from_ue(attempt->request))
        return;
    gboolean client = tracker->sec && g_hash_table_contains(tracker->sec->client_txns, attempt->request);
    if (!client && event->security_server.count == 0)
        return;
    sa_sec_state_t *sec = sec_state(tracker);
    sec_record_t *record = g_new0(sec_record_t, 1);
    record->attempt = attempt;
    sa_sec_mech_t mechs[SA_SEC_MAX_MECHS];
    record->n_server = sa_sec_parse_list(&event->security_server, mechs, SA_SEC_MAX_MECHS);
    record->server = g_memdup2(mechs, record->n_server * sizeof mechs[0]);
    if (client && event->security_server.count == 0)
        record->challenge_findings |= SA_FINDING_BIT(SA_FINDING_SEC_SERVER_MISSING);
    record->has_offer = sa_sec_best_ipsec(mechs, record->n_server, &record->offer);
    if (record->has_offer) {
        sa_sec_mech_text(&record->offer, record->text, sizeof record->text);
        copy_addr(record->ue, &record->ue_len, event->dst);
        copy_addr(record->pcscf, &record->pcscf_len, event->src);
        if (record->offer.has_spi_s)
            g_ptr_array_add(sec->awaiting_esp, record);
    }
    g_hash_table_insert(sec->by_attempt, attempt, record);
}

void
sa_sec_note_retry(sa_tracker_t *tracker, const sa_attempt_t *attempt, const sa_event_t *event)
{
    if (tracker->sec == NULL)
        return;
    sec_record_t *record = g_hash_table_lookup(tracker->sec->by_attempt, attempt);
    if (record == NULL)
        return;
    g_ptr_array_remove_fast(tracker->sec->awaiting_esp, record);
    if (record->n_server == 0)
        return;
    sa_sec_mech_t verify[SA_SEC_MAX_MECHS];
    guint n_verify = sa_sec_parse_list(&event->security_verify, verify, SA_SEC_MAX_MECHS);
    if (!sa_sec_verify_matches(record->server, record->n_server, verify, n_verify))
        record->retry_findings |= SA_FINDING_BIT(SA_FINDING_SEC_VERIFY_MISMATCH);
    if (record->has_offer && record->offer.has_port_s && event->dst_port != 0
            && event->dst_port != record->offer.port_s)
        record->retry_findings |= SA_FINDING_BIT(SA_FINDING_RETRY_UNPROTECTED);
}

void
sa_tracker_feed_esp(sa_tracker_t *tracker, const sa_esp_event_t *event)
{
    if (tracker == NULL || tracker->sec == NULL || event == NULL)
        return;
    GPtrArray *awaiting = tracker->sec->awaiting_esp;
    gint64 timeout = (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S;
    for (guint i = 0; i < awaiting->len;) {
        sec_record_t *record = awaiting->pdata[i];
        gint64 since = event->time_ns - record->attempt->challenge_time;
        if (record->attempt->retry != NULL || since > timeout) {
            g_ptr_array_remove_index_fast(awaiting, i);
            continue;
        }
        /* TS 33.203 section 7.1: the UE sends to the P-CSCF's protected server port in the SA the P-CSCF
         * chose, whose SPI is the Security-Server's spi-s. */
        if (since >= 0 && event->spi == record->offer.spi_s && addr_is(record->ue, record->ue_len, event->src)
                && addr_is(record->pcscf, record->pcscf_len, event->dst)) {
            record->esp_frame = event->frame;
            g_ptr_array_remove_index_fast(awaiting, i);
            continue;
        }
        i++;
    }
}

static const sec_record_t *
record_of(const sa_tracker_t *tracker, const sa_attempt_t *attempt)
{
    return tracker->sec ? g_hash_table_lookup(tracker->sec->by_attempt, attempt) : NULL;
}

gboolean
sa_sec_retry_protected(const sa_tracker_t *tracker, const sa_attempt_t *attempt, gboolean *null_ealg)
{
    const sec_record_t *record = record_of(tracker, attempt);
    if (record == NULL || record->esp_frame == 0 || attempt->retry != NULL)
        return FALSE;
    *null_ealg = sa_sec_ealg_null(&record->offer);
    return TRUE;
}

void
sa_sec_fill(const sa_tracker_t *tracker, const sa_attempt_t *attempt, sa_result_t *result)
{
    const sec_record_t *record = record_of(tracker, attempt);
    if (record == NULL)
        return;
    gboolean challenge = result->role == SA_ROLE_CHALLENGE;
    if (challenge || result->role == SA_ROLE_RETRY) {
        if (record->has_offer) {
            result->sec_mechanism = record->text;
            result->has_spi_c = record->offer.has_spi_c;
            result->has_spi_s = record->offer.has_spi_s;
            result->spi_c = record->offer.spi_c;
            result->spi_s = record->offer.spi_s;
            result->port_c = record->offer.port_c;
            result->port_s = record->offer.port_s;
        }
    }
    /* What the retry did with the offer shows on the retry, what the 401 lacked on the challenge. */
    if (result->role == SA_ROLE_RETRY)
        result->findings |= record->retry_findings;
    if (challenge)
        result->findings |= record->challenge_findings;
    if (attempt->retry == NULL && record->esp_frame != 0) {
        result->esp_frame = record->esp_frame;
        result->esp_null = sa_sec_ealg_null(&record->offer);
    }
}
