/* The tracker's storage: creating and freeing it, strings it keeps, and the index of messages by frame. */
#include "records.h"

sa_tracker_t *
sa_tracker_new(const sa_config_t *config)
{
    sa_tracker_t *tracker = g_new0(sa_tracker_t, 1);
    if (config)
        tracker->config = *config;
    else
        sa_config_init_defaults(&tracker->config);
    tracker->records = sa_arena_new();
    tracker->strings = g_string_chunk_new(64 * 1024);
    tracker->intern_buf = g_string_sized_new(256);
    tracker->msgs = g_array_sized_new(FALSE, TRUE, sizeof(sa_msg_t), 1024);
    g_array_set_size(tracker->msgs, 1);
    tracker->frames = g_array_sized_new(FALSE, FALSE, sizeof(sa_frame_msgs_t), 1024);
    tracker->attempts = g_ptr_array_new();
    tracker->txn_by_key = sa_keytable_new(G_STRUCT_OFFSET(sa_txn_t, key));
    tracker->pending_by_hop = sa_keytable_new(G_STRUCT_OFFSET(sa_attempt_t, hop));
    tracker->pending_by_nonce = sa_keytable_new(G_STRUCT_OFFSET(sa_nonce_entry_t, key));
    tracker->dns_clients = sa_keytable_new(G_STRUCT_OFFSET(sa_dns_client_t, key));
    tracker->dns_logs = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    tracker->last_time = G_MININT64;
    tracker->attacks = sa_attacks_new();
    return tracker;
}

void
sa_tracker_free(sa_tracker_t *tracker)
{
    if (tracker == NULL)
        return;
    sa_keytable_free(tracker->dns_clients);
    g_ptr_array_free(tracker->dns_logs, TRUE);
    sa_keytable_free(tracker->pending_by_nonce);
    sa_keytable_free(tracker->pending_by_hop);
    sa_keytable_free(tracker->txn_by_key);
    g_ptr_array_free(tracker->attempts, TRUE);
    g_array_free(tracker->msgs, TRUE);
    g_array_free(tracker->frames, TRUE);
    g_string_free(tracker->intern_buf, TRUE);
    g_string_chunk_free(tracker->strings);
    sa_arena_free(tracker->records);
    if (tracker->cut_msgs)
        g_hash_table_destroy(tracker->cut_msgs);
    if (tracker->unknown_algs)
        g_hash_table_destroy(tracker->unknown_algs);
    if (tracker->user_agents)
        g_hash_table_destroy(tracker->user_agents);
    sa_attacks_free(tracker->attacks);
    sa_reg_index_free(tracker->registrations);
    sa_sec_free(tracker->sec);
    sa_hss_free(tracker->hss);
    g_free(tracker);
}

guint
sa_tracker_flow_count(const sa_tracker_t *tracker)
{
    return tracker->n_flows;
}

/* Whether a span, cut as it is stored, is the stored string; both absent counts as equal. */
gboolean
sa_span_is_stored(sa_span_t span, const char *stored)
{
    if (span.ptr == NULL || stored == NULL)
        return span.ptr == NULL && stored == NULL;
    gsize len = MIN(span.len, SA_MAX_STRING);
    return strlen(stored) == len && memcmp(span.ptr, stored, len) == 0;
}

/* Interns a span, cut to SA_MAX_STRING; NULL stays NULL. Realms are interned (compared by address); a
 * capture has few, so the last one is tried first. */
const char *
sa_intern_span(sa_tracker_t *tracker, sa_span_t span)
{
    if (span.ptr == NULL)
        return NULL;
    tracker->feed_cut = tracker->feed_cut || span.len > SA_MAX_STRING;
    if (sa_span_is_stored(span, tracker->last_interned))
        return tracker->last_interned;
    g_string_truncate(tracker->intern_buf, 0);
    g_string_append_len(tracker->intern_buf, span.ptr, (gssize)MIN(span.len, SA_MAX_STRING));
    tracker->last_interned = g_string_chunk_insert_const(tracker->strings, tracker->intern_buf->str);
    return tracker->last_interned;
}

/* Copies a span, cut to SA_MAX_STRING, without looking for an equal string (not for pointer comparison). */
const char *
sa_copy_span(sa_tracker_t *tracker, sa_span_t span)
{
    if (span.ptr == NULL)
        return NULL;
    tracker->feed_cut = tracker->feed_cut || span.len > SA_MAX_STRING;
    return g_string_chunk_insert_len(tracker->strings, span.ptr, (gssize)MIN(span.len, SA_MAX_STRING));
}

/* Index of the first entry of tracker->frames whose frame is not below frame. */
static guint
frames_lower_bound(const sa_tracker_t *tracker, guint32 frame)
{
    guint low = 0;
    guint high = tracker->frames->len;
    while (low < high) {
        guint mid = low + (high - low) / 2;
        if (g_array_index(tracker->frames, sa_frame_msgs_t, mid).frame < frame)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

/* Frames come in order on Wireshark's first pass: appending keeps the index sorted. */
void
sa_note_frame(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t id)
{
    GArray *frames = tracker->frames;
    guint at = frames->len;
    if (frames->len > 0) {
        const sa_frame_msgs_t *last = &g_array_index(frames, sa_frame_msgs_t, frames->len - 1);
        if (last->frame >= frame)
            at = last->frame == frame ? frames->len - 1 : frames_lower_bound(tracker, frame);
    }
    sa_frame_msgs_t entry = { frame, id, 1 };
    if (at == frames->len) {
        g_array_append_val(frames, entry);
        return;
    }
    sa_frame_msgs_t *same = &g_array_index(frames, sa_frame_msgs_t, at);
    if (same->frame == frame) {
        /* The same frame again: its next message, or a later feeding that keeps the first one's ids. */
        if (same->first + same->count == id)
            same->count++;
        return;
    }
    g_array_insert_val(frames, at, entry);
}

/* Whether frame belongs at index at: the first entry not below it. */
static gboolean
frames_position_is(const GArray *frames, guint at, guint32 frame)
{
    if (at > frames->len)
        return FALSE;
    if (at < frames->len && g_array_index(frames, sa_frame_msgs_t, at).frame < frame)
        return FALSE;
    return at == 0 || g_array_index(frames, sa_frame_msgs_t, at - 1).frame < frame;
}

guint
sa_tracker_frame_messages(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t *first)
{
    *first = 0;
    if (tracker == NULL)
        return 0;
    /* Wireshark's passes read frames in order: the answer is where the last look-up ended, or just
     * after it, so a pass costs no search; a random look-up (a click in the GUI) searches. */
    GArray *frames = tracker->frames;
    guint at = tracker->frames_cursor;
    if (!frames_position_is(frames, at, frame) && !frames_position_is(frames, ++at, frame))
        at = frames_lower_bound(tracker, frame);
    tracker->frames_cursor = at;
    if (at >= frames->len)
        return 0;
    const sa_frame_msgs_t *entry = &g_array_index(frames, sa_frame_msgs_t, at);
    if (entry->frame != frame)
        return 0;
    *first = entry->first;
    return entry->count;
}

/* Only hostile input reaches a bound: a set of ids costs nothing until it does. */
void
sa_note_cut(sa_tracker_t *tracker, sa_msg_id_t id)
{
    if (tracker->cut_msgs == NULL)
        tracker->cut_msgs = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_add(tracker->cut_msgs, GUINT_TO_POINTER(id));
}

gboolean
sa_msg_was_cut(const sa_tracker_t *tracker, sa_msg_id_t id)
{
    return tracker->cut_msgs != NULL && g_hash_table_contains(tracker->cut_msgs, GUINT_TO_POINTER(id));
}

gboolean
sa_txn_user(const sa_txn_t *txn, sa_span_t *user)
{
    if (txn->username && *txn->username) {
        user->ptr = txn->username;
        user->len = strlen(txn->username);
        return TRUE;
    }
    sa_txn_ext_t ext;
    txn_ext(txn, &ext);
    const char *uri = txn->reg_kind != SA_REG_NONE ? txn_aor(txn, &ext) : txn->from_uri;
    sa_span_t text = { uri, uri ? strlen(uri) : 0 };
    return uri != NULL && sa_sip_uri_user(text, user);
}
