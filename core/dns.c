/* What a UA did on DNS before a late retry: the DNS queries of each host that sent any, and whether they were
 * answered. Kept only where the capture has DNS; a UA is found by the top-Via address of its request. */
#include "records.h"

#include <arpa/inet.h>

/* Responses are matched to the latest queries with their id among this many of the client's last ones. */
#define SA_DNS_MATCH_WINDOW 64
/* Queries kept per host: past this the older half goes (a busy resolver client must not grow us). */
#define SA_DNS_LOG_MAX 4096
/* Queries counted between a challenge and its retry at most: past this the counts are a lower bound. */
#define SA_DNS_COUNT_MAX 10000

static sa_dns_client_t *
find_client(const sa_tracker_t *tracker, const sa_key_t *key)
{
    return sa_keytable_lookup(tracker->dns_clients, key);
}

static sa_dns_client_t *
add_client(sa_tracker_t *tracker, const sa_key_t *key)
{
    sa_dns_client_t *client = sa_arena_alloc0(tracker->records, sizeof *client);
    store_key(&client->key, client->addr_bytes, key);
    client->queries = g_array_new(FALSE, FALSE, sizeof(sa_dns_query_t));
    g_ptr_array_add(tracker->dns_logs, client->queries);
    sa_keytable_insert(tracker->dns_clients, client);
    return client;
}

void
sa_tracker_feed_dns(sa_tracker_t *tracker, const sa_dns_event_t *event)
{
    if (tracker == NULL || event == NULL || event->frame == 0)
        return;
    tracker->last_time = MAX(tracker->last_time, event->time_ns);
    sa_addr_t addr = event->client;
    if (addr.bytes == NULL || addr.len == 0 || addr.len > SA_ADDR_MAX)
        return;
    sa_key_t key = sa_key_make((const char *)addr.bytes, addr.len);
    sa_dns_client_t *client = find_client(tracker, &key);
    if (!event->response) {
        if (client == NULL)
            client = add_client(tracker, &key);
        GArray *queries = client->queries;
        if (queries->len >= SA_DNS_LOG_MAX)
            g_array_remove_range(queries, 0, SA_DNS_LOG_MAX / 2);
        sa_dns_query_t query = { event->time_ns, event->frame, event->id, 0 };
        g_array_append_val(queries, query);
        return;
    }
    if (client == NULL)
        return;
    /* A response answers its query and that query's retransmissions (same id). */
    GArray *queries = client->queries;
    guint stop = queries->len > SA_DNS_MATCH_WINDOW ? queries->len - SA_DNS_MATCH_WINDOW : 0;
    for (guint i = queries->len; i > stop; i--) {
        sa_dns_query_t *query = &g_array_index(queries, sa_dns_query_t, i - 1);
        if (query->id == event->id && query->time_ns <= event->time_ns)
            query->answered = 1;
    }
}

/* The bytes of a textual IPv4 or IPv6 address; 0 for a name. */
static guint
address_bytes(const char *host, guint8 out[SA_ADDR_MAX])
{
    if (host == NULL || *host == '\0')
        return 0;
    if (inet_pton(AF_INET, host, out) == 1)
        return 4;
    if (inet_pton(AF_INET6, host, out) == 1)
        return 16;
    return 0;
}

void
sa_fill_dns(const sa_tracker_t *tracker, const char *host, gint64 from_ns, gint64 to_ns, sa_result_t *result)
{
    result->dns_queries = 0;
    result->dns_unanswered = 0;
    result->dns_frame = 0;
    guint8 bytes[SA_ADDR_MAX];
    guint len = address_bytes(host, bytes);
    if (len == 0)
        return;
    sa_key_t key = sa_key_make((const char *)bytes, len);
    const sa_dns_client_t *client = find_client(tracker, &key);
    if (client == NULL)
        return;
    const GArray *queries = client->queries;
    /* The first query at or after from_ns: the log is in capture order, so times rise but for reordering. */
    guint lo = 0, hi = queries->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(queries, sa_dns_query_t, mid).time_ns < from_ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (guint i = lo; i < queries->len && result->dns_queries < SA_DNS_COUNT_MAX; i++) {
        const sa_dns_query_t *query = &g_array_index(queries, sa_dns_query_t, i);
        if (query->time_ns > to_ns)
            break;
        if (result->dns_queries++ == 0)
            result->dns_frame = query->frame;
        if (!query->answered)
            result->dns_unanswered++;
    }
}
