/* Registrations (SPEC section 12): the REGISTERs of each address of record and username, replayed from the
 * tracker's transaction records in capture order on the first query and kept up to date after it. */
#include "records.h"
#include "sipauth/registrations.h"

/* A REGISTER without an expiry in it or in its 2xx: the registrar's default (RFC 3261 10.2.1.1 suggests one
 * hour). */
#define SA_DEFAULT_EXPIRES_S 3600u

/* How the row's latest REGISTER request stands. */
typedef enum {
    LAST_PENDING,                /* no final response yet */
    LAST_CHALLENGED,             /* challenged: its attempt goes on with a retry, or ends without one */
    LAST_DONE                    /* a final answer ended its attempt, or it was ended */
} last_state_t;

typedef struct {
    sa_registration_t pub;
    const sa_txn_t *last;        /* the latest REGISTER request */
    last_state_t last_state;
    gboolean     attempt_counted; /* its attempt is in pub.attempts */
    guint32      generation;     /* changes with every step: older deadlines of the row are void */
    gboolean     changed;        /* in the index's changed list */
} reg_record_t;

/* When time alone decides a row: its open attempt ends (retry timeout, Timer F) or its binding expires. */
typedef struct {
    gint64        at;
    reg_record_t *rec;
    guint32       generation;
} deadline_t;

/*
 * REGISTER transactions' records by the transaction's address, by open addressing with the pair in the slot: a
 * look-up reads one slot, where a GHashTable reads its hashes, keys and values, each in an array of its own, and
 * a large capture has one entry per REGISTER, far beyond the caches. Nothing is removed.
 */
typedef struct {
    const sa_txn_t *txn;         /* NULL: an empty slot */
    reg_record_t   *rec;
} txn_slot_t;

typedef struct {
    txn_slot_t *slots;
    guint32     mask;            /* slots - 1, a power of two minus one */
    guint32     used;
    /* The last pair set or found: a frame's message is asked for right after its transaction's replay. */
    txn_slot_t  last;
} txn_map_t;

typedef struct {
    GPtrArray   *records;        /* the AOR's usernames' records */
    reg_record_t *current;       /* where a REGISTER without credentials counts */
} aor_t;

struct sa_reg_index {
    GHashTable *by_aor;          /* AOR -> aor_t */
    GPtrArray  *records;         /* reg_record_t by id - 1 */
    txn_map_t   by_txn;          /* REGISTER transaction -> reg_record_t */
    sa_msg_id_t cursor;          /* the next message to replay */
    /*
     * Deadlines. A retry timeout or a Timer F comes a fixed time after the message that set it, so in capture
     * order they come sorted: each kind has a queue (a FIFO, [head, len) of deadline_t), where a deadline costs
     * an append. An expiry, or one that would come before its queue's last (a capture out of order), goes to
     * the heap. The next deadline is the least of the queues' heads and the heap's top.
     */
    GArray     *queues[2];
    guint       queue_heads[2];
    GArray     *deadlines;       /* deadline_t, a binary min-heap by at */
    GPtrArray  *changed;         /* rows time changed since they were last reported */
};

/* Addresses differ in their low bits least (allocation alignment): mixed (the finaliser of MurmurHash3). */
static guint32
txn_hash(const sa_txn_t *txn)
{
    guint64 x = (guint64)(guintptr)txn;
    x ^= x >> 33;
    x *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (guint32)x;
}

/* The slot of txn: its own, or the empty one where it would go. */
static txn_slot_t *
txn_slot(const txn_map_t *map, const sa_txn_t *txn)
{
    for (guint32 i = txn_hash(txn) & map->mask;; i = (i + 1) & map->mask)
        if (map->slots[i].txn == txn || map->slots[i].txn == NULL)
            return &map->slots[i];
}

static reg_record_t *
txn_map_get(txn_map_t *map, const sa_txn_t *txn)
{
    if (map->last.txn == txn)
        return map->last.rec;
    if (map->slots == NULL)
        return NULL;
    txn_slot_t *slot = txn_slot(map, txn);
    if (slot->txn != NULL)
        map->last = *slot;
    return slot->rec;
}

/* Twice as many slots once three quarters are used: probes stay short. */
static void
txn_map_grow(txn_map_t *map)
{
    txn_slot_t *old = map->slots;
    guint32 old_size = old ? map->mask + 1 : 0;
    guint32 size = old ? 2 * old_size : 1024;
    map->slots = g_new0(txn_slot_t, size);
    map->mask = size - 1;
    for (guint32 i = 0; i < old_size; i++)
        if (old[i].txn)
            *txn_slot(map, old[i].txn) = old[i];
    g_free(old);
}

static void
txn_map_set(txn_map_t *map, const sa_txn_t *txn, reg_record_t *rec)
{
    if (map->slots == NULL || map->used >= (map->mask + 1) / 4 * 3)
        txn_map_grow(map);
    txn_slot_t *slot = txn_slot(map, txn);
    if (slot->txn == NULL) {
        slot->txn = txn;
        map->used++;
    }
    slot->rec = rec;
    map->last = *slot;
}

static void
free_aor(gpointer data)
{
    aor_t *aor = data;
    g_ptr_array_free(aor->records, TRUE);
    g_free(aor);
}

void
sa_reg_index_free(sa_reg_index_t *index)
{
    if (index == NULL)
        return;
    g_hash_table_destroy(index->by_aor);
    g_free(index->by_txn.slots);
    g_array_free(index->deadlines, TRUE);
    for (guint q = 0; q < G_N_ELEMENTS(index->queues); q++)
        g_array_free(index->queues[q], TRUE);
    g_ptr_array_free(index->changed, TRUE);
    g_ptr_array_free(index->records, TRUE);
    g_free(index);
}

static sa_reg_index_t *
reg_index_new(void)
{
    sa_reg_index_t *index = g_new0(sa_reg_index_t, 1);
    index->by_aor = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_aor);
    index->records = g_ptr_array_new_with_free_func(g_free);
    index->cursor = 1;
    index->deadlines = g_array_new(FALSE, FALSE, sizeof(deadline_t));
    for (guint q = 0; q < G_N_ELEMENTS(index->queues); q++)
        index->queues[q] = g_array_new(FALSE, FALSE, sizeof(deadline_t));
    index->changed = g_ptr_array_new();
    return index;
}

static reg_record_t *
new_record(sa_reg_index_t *index, aor_t *aor, const char *aor_uri, const char *username)
{
    reg_record_t *rec = g_new0(reg_record_t, 1);
    rec->pub.id = index->records->len + 1;
    rec->pub.aor = aor_uri;
    rec->pub.username = username;
    rec->last_state = LAST_DONE;
    g_ptr_array_add(index->records, rec);
    g_ptr_array_add(aor->records, rec);
    aor->current = rec;
    return rec;
}

/* The row a REGISTER counts for: its username's; without one, the AOR's latest used (a first one without
 * credentials opens a row that the AOR's first username then names). */
static reg_record_t *
record_for(sa_reg_index_t *index, const char *aor_uri, const char *username)
{
    aor_t *aor = g_hash_table_lookup(index->by_aor, aor_uri);
    if (aor == NULL) {
        aor = g_new0(aor_t, 1);
        aor->records = g_ptr_array_new();
        g_hash_table_insert(index->by_aor, (gpointer)aor_uri, aor);
    }
    if (username == NULL || *username == '\0')
        return aor->current ? aor->current : new_record(index, aor, aor_uri, NULL);
    for (guint i = 0; i < aor->records->len; i++) {
        reg_record_t *rec = g_ptr_array_index(aor->records, i);
        if (rec->pub.username && strcmp(rec->pub.username, username) == 0)
            return aor->current = rec;
    }
    if (aor->current && aor->current->pub.username == NULL) {
        aor->current->pub.username = username;
        return aor->current;
    }
    return new_record(index, aor, aor_uri, username);
}

static gboolean
counts_as_attempt(sa_reg_kind_t kind)
{
    return kind == SA_REG_BIND;     /* RFC 6076 measures registrations: not de-registrations, not queries */
}

static gboolean
is_challenge_code(guint code)
{
    return code == 401 || code == 407;
}

/* RFC 6076 4.2: a failure is 4xx other than 401, 402 and 407, 5xx or 6xx (and a timeout). */
static gboolean
is_ineffective_code(guint code)
{
    return code >= 400 && code != 401 && code != 402 && code != 407;
}

static void
fail(sa_registration_t *pub, sa_reg_cause_t cause, guint code)
{
    pub->state = SA_REG_STATE_FAILED;
    pub->cause = cause;
    pub->cause_code = code;
}

/*
 * Ends the row's open attempt at now: at a new attempt of the same row (started_over), or at the end of the
 * capture. A challenge left without retry ends it as refused or no retry (at the capture's end only once
 * the retry timeout passed); a REGISTER left without final response times out after Timer F. Writes into pub,
 * which is the record's own or a copy of it; TRUE if the attempt ended.
 */
static gboolean
close_attempt(const sa_tracker_t *tracker, const reg_record_t *rec, gint64 now, gboolean started_over,
              sa_registration_t *pub)
{
    const sa_txn_t *last = rec->last;
    if (last == NULL || rec->last_state == LAST_DONE)
        return FALSE;
    if (rec->last_state == LAST_CHALLENGED) {
        const sa_attempt_t *challenge = last->challenged;
        if (challenge && challenge->retry)
            return FALSE;               /* the retry went on in another row (another username) */
        gint64 timeout_ns = (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S;
        if (!started_over && challenge && now - challenge->challenge_time < timeout_ns)
            return FALSE;
        gboolean refused = challenge && challenge->flow->refusals > 0;
        fail(pub, refused ? SA_REG_CAUSE_REFUSED : SA_REG_CAUSE_NO_RETRY, 0);
        /* The attempt ended at its last challenge: a final response too. */
        if (challenge)
            pub->auth_ns += challenge->challenge_time - challenge->flow->first->challenge_time;
        return TRUE;
    }
    if (now - last->request_time < SA_TIMER_F_NS)
        return FALSE;
    pub->failed++;
    fail(pub, SA_REG_CAUSE_TIMEOUT, 0);
    pub->ineffective += counts_as_attempt(last->reg_kind);
    return TRUE;
}

static reg_record_t *
replay_request(const sa_tracker_t *tracker, sa_reg_index_t *index, const sa_txn_t *txn)
{
    sa_txn_ext_t ext;
    txn_ext(txn, &ext);
    const char *aor = txn_aor(txn, &ext);
    if (aor == NULL)
        return NULL;
    reg_record_t *rec = record_for(index, aor, txn->username);
    txn_map_set(&index->by_txn, txn, rec);
    if (txn->answers == NULL) {
        if (close_attempt(tracker, rec, txn->request_time, TRUE, &rec->pub))
            rec->last_state = LAST_DONE;
        /* RFC 6076 4.2 divides by the registration attempts made, whatever became of them. */
        rec->attempt_counted = counts_as_attempt(txn->reg_kind);
        rec->pub.attempts += rec->attempt_counted;
    }
    rec->last = txn;
    rec->last_state = LAST_PENDING;
    rec->pub.registers++;
    if (ext.user_agent)
        rec->pub.user_agent = ext.user_agent;
    if (txn->reg_kind != SA_REG_QUERY) {
        rec->pub.state = SA_REG_STATE_UNKNOWN;
        rec->pub.cause = SA_REG_CAUSE_NONE;
    }
    return rec;
}

static void
add_rrd(sa_registration_t *pub, gint64 rrd_ns)
{
    if (pub->rrd_count == 0 || rrd_ns < pub->rrd_min_ns)
        pub->rrd_min_ns = rrd_ns;
    if (pub->rrd_count == 0 || rrd_ns > pub->rrd_max_ns)
        pub->rrd_max_ns = rrd_ns;
    pub->rrd_sum_ns += rrd_ns;
    pub->rrd_count++;
}

/* A 2xx: what the bindings became. */
static void
accept(reg_record_t *rec, const sa_txn_t *txn, const sa_txn_ext_t *ext, gint64 attempt_start)
{
    sa_registration_t *pub = &rec->pub;
    pub->accepted++;
    switch ((sa_reg_kind_t)txn->reg_kind) {
    case SA_REG_BIND: {
        add_rrd(pub, ext->final_time - attempt_start);
        guint32 expires = ext->granted_expires != SA_EXPIRES_NONE ? ext->granted_expires
                        : ext->request_expires != SA_EXPIRES_NONE ? ext->request_expires : SA_DEFAULT_EXPIRES_S;
        pub->state = expires > 0 ? SA_REG_STATE_REGISTERED : SA_REG_STATE_DEREGISTERED;
        pub->binding_until_ns = ext->final_time + (gint64)expires * SA_NS_PER_S;
        break;
    }
    case SA_REG_UNBIND:
        pub->state = SA_REG_STATE_DEREGISTERED;
        break;
    case SA_REG_QUERY:
    case SA_REG_NONE:
        break;
    }
    pub->cause = SA_REG_CAUSE_NONE;
}

static reg_record_t *
replay_final(sa_reg_index_t *index, const sa_txn_t *txn)
{
    reg_record_t *rec = txn_map_get(&index->by_txn, txn);
    if (rec == NULL)
        return NULL;
    sa_registration_t *pub = &rec->pub;
    guint code = txn->final_code;
    gboolean latest = rec->last == txn;
    if (is_challenge_code(code)) {
        pub->challenged++;
        gboolean refusal = txn->challenged ? (txn->challenged->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED)) != 0
                                           : txn->has_credentials;
        pub->refused += refusal;
        if (latest)
            rec->last_state = LAST_CHALLENGED;
        return rec;
    }
    sa_txn_ext_t ext;
    txn_ext(txn, &ext);
    const sa_flow_t *flow = txn->answers ? txn->answers->flow : NULL;
    gint64 attempt_start = flow ? flow->first->request->request_time : txn->request_time;
    if (flow)
        pub->auth_ns += ext.final_time - flow->first->challenge_time;
    gboolean attempt = counts_as_attempt(txn->reg_kind);
    /* An attempt whose first REGISTER came before the capture is counted at its end. */
    if (attempt && !rec->attempt_counted) {
        pub->attempts++;
        rec->attempt_counted = TRUE;
    }
    if (code < 300) {
        accept(rec, txn, &ext, attempt_start);
    } else if (code == 403) {
        pub->refused++;
        fail(pub, SA_REG_CAUSE_REFUSED, code);
        pub->ineffective += attempt;
    } else {
        pub->failed++;
        fail(pub, SA_REG_CAUSE_CODE, code);
        pub->ineffective += attempt && is_ineffective_code(code);
    }
    if (latest) {
        rec->last_state = LAST_DONE;
        rec->attempt_counted = FALSE;
    }
    return rec;
}

static void
heap_push(GArray *heap, deadline_t entry)
{
    g_array_append_val(heap, entry);
    for (guint i = heap->len - 1; i > 0;) {
        guint parent = (i - 1) / 2;
        deadline_t *a = &g_array_index(heap, deadline_t, parent), *b = &g_array_index(heap, deadline_t, i);
        if (a->at <= b->at)
            break;
        deadline_t t = *a;
        *a = *b;
        *b = t;
        i = parent;
    }
}

static deadline_t
heap_pop(GArray *heap)
{
    deadline_t top = g_array_index(heap, deadline_t, 0);
    g_array_index(heap, deadline_t, 0) = g_array_index(heap, deadline_t, heap->len - 1);
    g_array_set_size(heap, heap->len - 1);
    for (guint i = 0;;) {
        guint l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap->len && g_array_index(heap, deadline_t, l).at < g_array_index(heap, deadline_t, m).at)
            m = l;
        if (r < heap->len && g_array_index(heap, deadline_t, r).at < g_array_index(heap, deadline_t, m).at)
            m = r;
        if (m == i)
            break;
        deadline_t t = g_array_index(heap, deadline_t, i);
        g_array_index(heap, deadline_t, i) = g_array_index(heap, deadline_t, m);
        g_array_index(heap, deadline_t, m) = t;
        i = m;
    }
    return top;
}

enum { QUEUE_RETRY_TIMEOUT, QUEUE_TIMER_F, FROM_HEAP };

/* A deadline of a fixed delay: at the end of its queue, or in the heap when it would come before the last. */
static void
queue_push(sa_reg_index_t *index, guint queue, deadline_t entry)
{
    GArray *fifo = index->queues[queue];
    if (fifo->len > index->queue_heads[queue] && g_array_index(fifo, deadline_t, fifo->len - 1).at > entry.at)
        heap_push(index->deadlines, entry);
    else
        g_array_append_val(fifo, entry);
}

/* Where the next deadline is (a queue, FROM_HEAP), or G_MAXUINT when there is none; *at its time. */
static guint
next_deadline(const sa_reg_index_t *index, gint64 *at)
{
    guint from = G_MAXUINT;
    for (guint q = 0; q < G_N_ELEMENTS(index->queues); q++) {
        const GArray *fifo = index->queues[q];
        if (index->queue_heads[q] < fifo->len) {
            gint64 t = g_array_index(fifo, deadline_t, index->queue_heads[q]).at;
            if (from == G_MAXUINT || t < *at) {
                from = q;
                *at = t;
            }
        }
    }
    if (index->deadlines->len > 0) {
        gint64 t = g_array_index(index->deadlines, deadline_t, 0).at;
        if (from == G_MAXUINT || t < *at) {
            from = FROM_HEAP;
            *at = t;
        }
    }
    return from;
}

static deadline_t
take_deadline(sa_reg_index_t *index, guint from)
{
    if (from == FROM_HEAP)
        return heap_pop(index->deadlines);
    GArray *fifo = index->queues[from];
    deadline_t entry = g_array_index(fifo, deadline_t, index->queue_heads[from]++);
    /* the taken half goes once it is the larger one: each entry moves at most once on average */
    if (index->queue_heads[from] * 2 >= fifo->len && index->queue_heads[from] >= 1024) {
        g_array_remove_range(fifo, 0, index->queue_heads[from]);
        index->queue_heads[from] = 0;
    }
    return entry;
}

/* After a step of the row: when time alone will decide it next. */
static void
schedule(const sa_tracker_t *tracker, sa_reg_index_t *index, reg_record_t *rec)
{
    rec->generation++;
    const sa_txn_t *last = rec->last;
    deadline_t entry = { 0, rec, rec->generation };
    if (last && rec->last_state == LAST_CHALLENGED && last->challenged) {
        entry.at = last->challenged->challenge_time + (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S;
        queue_push(index, QUEUE_RETRY_TIMEOUT, entry);
    } else if (last && rec->last_state == LAST_PENDING) {
        entry.at = last->request_time + SA_TIMER_F_NS;
        queue_push(index, QUEUE_TIMER_F, entry);
    } else if (rec->pub.state == SA_REG_STATE_REGISTERED) {
        entry.at = rec->pub.binding_until_ns;
        heap_push(index->deadlines, entry);
    }
}

/* Time passed up to now, the latest capture time fed: rows whose deadline came end their attempt (no retry,
 * refused, timeout) or lose their binding, in both views alike. */
static void
pass_time(const sa_tracker_t *tracker, sa_reg_index_t *index, gint64 now)
{
    gint64 at = 0;
    guint from;
    while ((from = next_deadline(index, &at)) != G_MAXUINT && at <= now) {
        deadline_t due = take_deadline(index, from);
        reg_record_t *rec = due.rec;
        if (due.generation != rec->generation)
            continue;
        if (close_attempt(tracker, rec, due.at, FALSE, &rec->pub))
            rec->last_state = LAST_DONE;
        else if (rec->pub.state == SA_REG_STATE_REGISTERED && rec->pub.binding_until_ns <= due.at)
            rec->pub.state = SA_REG_STATE_EXPIRED;
        else
            continue;
        schedule(tracker, index, rec);
        if (!rec->changed) {
            rec->changed = TRUE;
            g_ptr_array_add(index->changed, rec);
        }
    }
}

/* Replays the messages fed since the last query, then lets time pass to the latest one. */
static sa_reg_index_t *
replayed(sa_tracker_t *tracker)
{
    if (tracker->registrations == NULL)
        tracker->registrations = reg_index_new();
    sa_reg_index_t *index = tracker->registrations;
    for (; index->cursor < tracker->msgs->len; index->cursor++) {
        sa_msg_t msg = g_array_index(tracker->msgs, sa_msg_t, index->cursor);
        const sa_txn_t *txn = (const sa_txn_t *)(msg & SA_MSG_TXN_MASK);
        if (txn->reg_kind == SA_REG_NONE)
            continue;
        sa_msg_kind_t kind = (sa_msg_kind_t)(msg & SA_MSG_KIND_MASK);
        reg_record_t *rec = NULL;
        if (kind == SA_MSG_REQUEST)
            rec = replay_request(tracker, index, txn);
        else if (kind == SA_MSG_FINAL)
            rec = replay_final(index, txn);
        if (rec)
            schedule(tracker, index, rec);
    }
    pass_time(tracker, index, tracker->last_time);
    return index;
}

gboolean
sa_tracker_registration(sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view G_GNUC_UNUSED, sa_registration_t *out)
{
    memset(out, 0, sizeof *out);
    if (tracker == NULL || id == 0 || id >= tracker->msgs->len)
        return FALSE;
    sa_msg_t msg = g_array_index(tracker->msgs, sa_msg_t, id);
    const sa_txn_t *txn = (const sa_txn_t *)(msg & SA_MSG_TXN_MASK);
    if (txn->reg_kind == SA_REG_NONE || (msg & SA_MSG_KIND_MASK) == SA_MSG_ACK)
        return FALSE;
    sa_reg_index_t *index = replayed(tracker);
    const reg_record_t *rec = txn_map_get(&index->by_txn, txn);
    if (rec == NULL)
        return FALSE;
    *out = rec->pub;
    return TRUE;
}

gboolean
sa_tracker_next_changed_registration(sa_tracker_t *tracker, sa_registration_t *out)
{
    memset(out, 0, sizeof *out);
    if (tracker == NULL)
        return FALSE;
    sa_reg_index_t *index = replayed(tracker);
    if (index->changed->len == 0)
        return FALSE;
    reg_record_t *rec = g_ptr_array_steal_index(index->changed, index->changed->len - 1);
    rec->changed = FALSE;
    *out = rec->pub;
    return TRUE;
}

const char *
sa_reg_state_name(sa_reg_state_t state)
{
    switch (state) {
#define SA_REG_STATE_CASE(name, text) case SA_REG_STATE_##name: return text;
    SA_REG_STATES(SA_REG_STATE_CASE)
#undef SA_REG_STATE_CASE
    }
    return "unknown";
}

const char *
sa_reg_cause_name(sa_reg_cause_t cause)
{
    switch (cause) {
#define SA_REG_CAUSE_CASE(name, text) case SA_REG_CAUSE_##name: return text;
    SA_REG_CAUSES(SA_REG_CAUSE_CASE)
#undef SA_REG_CAUSE_CASE
    }
    return "";
}
