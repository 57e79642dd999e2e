/* What a challenged UA did on DNS: its queries and whether they were answered, to explain a late retry. */
#include "records.h"

/* Responses are matched to the latest queries with their id among this many of the client's last ones. */
#define SA_DNS_MATCH_WINDOW 64
/* Queries counted between a challenge and its retry at most: past this the counts are a lower bound. */
#define SA_DNS_COUNT_MAX 10000

sa_dns_client_t *
sa_dns_client(sa_tracker_t *tracker, sa_addr_t addr, gboolean create)
{
    if (addr.bytes == NULL || addr.len == 0 || addr.len > SA_ADDR_MAX)
        return NULL;
    sa_key_t key = sa_key_make((const char *)addr.bytes, addr.len);
    sa_dns_client_t *client = sa_keytable_lookup(tracker->dns_clients, &key);
    if (client || !create)
        return client;
    client = sa_arena_alloc0(tracker->records, sizeof *client);
    store_key(&client->key, client->addr_bytes, &key);
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
    /* Only the UAs already challenged: DNS of every other host would cost memory and explain nothing. */
    sa_dns_client_t *client = sa_dns_client(tracker, event->client, FALSE);
    if (client == NULL)
        return;
    GArray *queries = client->queries;
    if (!event->response) {
        sa_dns_query_t query = { event->time_ns, event->frame, event->id, 0 };
        g_array_append_val(queries, query);
        return;
    }
    /* A response answers its query and that query's retransmissions (same id). */
    guint stop = queries->len > SA_DNS_MATCH_WINDOW ? queries->len - SA_DNS_MATCH_WINDOW : 0;
    for (guint i = queries->len; i > stop; i--) {
        sa_dns_query_t *query = &g_array_index(queries, sa_dns_query_t, i - 1);
        if (query->id == event->id && query->time_ns <= event->time_ns)
            query->answered = 1;
    }
}

void
sa_fill_dns(const sa_dns_client_t *client, gint64 from_ns, gint64 to_ns, sa_result_t *result)
{
    result->dns_queries = 0;
    result->dns_unanswered = 0;
    result->dns_frame = 0;
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
