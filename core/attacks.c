/* Credential attacks (SPEC section 12): one source failing for many user names within a window, or a known
 * scanner's User-Agent. Only sources with failures get a record, so ordinary traffic pays a queue entry per
 * challenge while its retry is awaited, nothing more. */
#include "records.h"

#include <string.h>

/* Tools whose User-Agent gives them away (matched as case-insensitive substrings). */
static const char *const scanner_agents[] = {
    "friendly-scanner", "sipvicious", "sipcli", "VaxSIPUserAgent", "pplsip", "sundayddr", "iWar", "sip-scan",
    "SIVuS", "smap", "siparmyknife",
};

gboolean
sa_user_agent_is_scanner(const char *user_agent)
{
    if (user_agent == NULL)
        return FALSE;
    gsize len = strlen(user_agent);
    for (gsize i = 0; i < G_N_ELEMENTS(scanner_agents); i++) {
        gsize n = strlen(scanner_agents[i]);
        for (gsize at = 0; at + n <= len; at++)
            if (g_ascii_strncasecmp(user_agent + at, scanner_agents[i], n) == 0)
                return TRUE;
    }
    return FALSE;
}

typedef struct {
    gint64  time_ns;
    guint32 user_hash;
} failure_t;

/* A source with failures: those within the window, by time, and how many of them each user name has. Most
 * sources fail once (a UA that gave up): their one failure is kept inline, the arrays come with a second. */
typedef struct {
    guint8      addr[SA_ADDR_MAX];
    guint8      addr_len;
    guint8      alerted : 1;     /* crossed the threshold and has not fallen below it since */
    guint8      scanner_alerted : 1;
    guint8      has_first : 1;   /* first holds the only failure (failures is NULL) */
    guint       head;
    failure_t   first;
    GArray     *failures;        /* failure_t, sorted by time; [head, len) are in the window */
    GHashTable *users;           /* user hash -> failures in the window */
} source_t;

static guint
source_hash(gconstpointer key)
{
    const source_t *source = key;
    guint h = source->addr_len;
    for (guint i = 0; i < source->addr_len; i++)
        h = h * 31 + source->addr[i];
    return h;
}

static gboolean
source_equal(gconstpointer a, gconstpointer b)
{
    const source_t *x = a, *y = b;
    return x->addr_len == y->addr_len && memcmp(x->addr, y->addr, x->addr_len) == 0;
}

/* The source of a challenged request (the challenge's destination), IPv4 as a v4-mapped IPv6 address; all
 * zeros where unknown. One per attempt, in tracker->attempts' order, while its retry is awaited: 16 bytes per
 * challenge of the last retry timeout, nothing per flow. */
typedef struct {
    guint8 addr[16];
} pending_source_t;

struct sa_attacks {
    GHashTable *sources;         /* set of source_t, by address */
    GPtrArray  *pending;         /* blocks of PENDING_BLOCK pending_source_t: attempts first_pending, ... */
    guint       first_pending;   /* index in tracker->attempts of the first entry of pending's first block */
    guint       n_pending;       /* entries stored from first_pending on */
    guint       cursor;          /* index in tracker->attempts of the next challenge to decide */
    GHashTable *sites;           /* attempt or transaction -> sa_attack_t, where a finding was raised */
};

/* Blocks, not one growing array: what is kept is what awaits a retry, within a block, not twice that. */
#define PENDING_BLOCK 4096

static pending_source_t *
pending_at(sa_attacks_t *attacks, guint attempt_index)
{
    guint i = attempt_index - attacks->first_pending;
    pending_source_t *block = g_ptr_array_index(attacks->pending, i / PENDING_BLOCK);
    return &block[i % PENDING_BLOCK];
}

static const guint8 v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static void
pending_store(pending_source_t *pending, sa_addr_t src)
{
    memset(pending, 0, sizeof *pending);
    if (src.bytes && src.len == 4) {
        memcpy(pending->addr, v4_mapped, sizeof v4_mapped);
        memcpy(pending->addr + 12, src.bytes, 4);
    } else if (src.bytes && src.len == 16) {
        memcpy(pending->addr, src.bytes, 16);
    }
}

static sa_addr_t
pending_load(const pending_source_t *pending)
{
    static const guint8 zeros[16];
    sa_addr_t src = { pending->addr, 16 };
    if (memcmp(pending->addr, v4_mapped, sizeof v4_mapped) == 0) {
        src.bytes = pending->addr + 12;
        src.len = 4;
    } else if (memcmp(pending->addr, zeros, 16) == 0) {
        src.len = 0;
    }
    return src;
}

static void
free_source(gpointer data)
{
    source_t *source = data;
    if (source->failures)
        g_array_free(source->failures, TRUE);
    if (source->users)
        g_hash_table_destroy(source->users);
    g_free(source);
}

sa_attacks_t *
sa_attacks_new(void)
{
    sa_attacks_t *attacks = g_new0(sa_attacks_t, 1);
    attacks->sources = g_hash_table_new_full(source_hash, source_equal, free_source, NULL);
    attacks->pending = g_ptr_array_new_with_free_func(g_free);
    attacks->sites = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return attacks;
}

void
sa_attacks_free(sa_attacks_t *attacks)
{
    if (attacks == NULL)
        return;
    g_hash_table_destroy(attacks->sources);
    g_ptr_array_free(attacks->pending, TRUE);
    g_hash_table_destroy(attacks->sites);
    g_free(attacks);
}

static gboolean
usable_address(sa_addr_t addr)
{
    return addr.bytes != NULL && addr.len > 0 && addr.len <= SA_ADDR_MAX;
}

static source_t *
source_of(sa_attacks_t *attacks, const guint8 *bytes, guint len)
{
    source_t probe;
    memcpy(probe.addr, bytes, len);
    probe.addr_len = (guint8)len;
    source_t *source = g_hash_table_lookup(attacks->sources, &probe);
    if (source)
        return source;
    source = g_new0(source_t, 1);
    memcpy(source->addr, bytes, len);
    source->addr_len = (guint8)len;
    g_hash_table_add(attacks->sources, source);
    return source;
}

static void
raise_at(sa_tracker_t *tracker, gconstpointer site, gboolean site_is_txn, const source_t *source,
         guint usernames, const char *user_agent)
{
    sa_attack_t *attack = g_new0(sa_attack_t, 1);
    memcpy(attack->addr, source->addr, source->addr_len);
    attack->addr_len = source->addr_len;
    attack->usernames = usernames;
    attack->user_agent = user_agent;
    g_hash_table_replace(tracker->attacks->sites, (gpointer)site, attack);
    if (site_is_txn)
        ((sa_txn_t *)site)->attack_here = 1;
    else
        ((sa_attempt_t *)site)->findings |= SA_FINDING_BIT(SA_FINDING_CREDENTIAL_ATTACK);
}

static void
count_user(source_t *source, guint32 user_hash, gint delta)
{
    gpointer key = GUINT_TO_POINTER(user_hash | 1u);   /* never the NULL key */
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(source->users, key));
    n = (guint)((gint)n + delta);
    if (n == 0)
        g_hash_table_remove(source->users, key);
    else
        g_hash_table_insert(source->users, key, GUINT_TO_POINTER(n));
}

/* A failure of one user name from one source at a time; raises the finding at site when the source reaches the
 * threshold. Failures come nearly in time order (an unanswered challenge is known a retry timeout late). */
static void
add_failure(sa_tracker_t *tracker, sa_addr_t src, guint32 user_hash, gint64 time_ns, gconstpointer site,
            gboolean site_is_txn)
{
    const sa_config_t *config = &tracker->config;
    if (config->attack_usernames == 0 || !usable_address(src))
        return;
    source_t *source = source_of(tracker->attacks, src.bytes, src.len);
    failure_t failure = { time_ns, user_hash };
    if (source->failures == NULL && !source->has_first) {
        source->first = failure;
        source->has_first = 1;
        if (config->attack_usernames <= 1) {
            source->alerted = TRUE;
            raise_at(tracker, site, site_is_txn, source, 1, NULL);
        }
        return;
    }
    if (source->failures == NULL) {
        source->failures = g_array_new(FALSE, FALSE, sizeof(failure_t));
        source->users = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_array_append_val(source->failures, source->first);
        count_user(source, source->first.user_hash, 1);
        source->has_first = 0;
    }
    GArray *failures = source->failures;
    /* The window ends at the latest failure; what it held before this one says whether the source had fallen
     * below the threshold since it was last reported. */
    gint64 newest = failures->len > source->head ? MAX(g_array_index(failures, failure_t, failures->len - 1).time_ns,
                                                       time_ns) : time_ns;
    gint64 window_ns = (gint64)config->attack_window_s * SA_NS_PER_S;
    while (source->head < failures->len
           && g_array_index(failures, failure_t, source->head).time_ns < newest - window_ns) {
        count_user(source, g_array_index(failures, failure_t, source->head).user_hash, -1);
        source->head++;
    }
    if (g_hash_table_size(source->users) < config->attack_usernames)
        source->alerted = FALSE;
    if (time_ns >= newest - window_ns) {
        guint at = failures->len;
        while (at > source->head && g_array_index(failures, failure_t, at - 1).time_ns > time_ns)
            at--;
        g_array_insert_val(failures, at, failure);
        count_user(source, user_hash, 1);
    }
    if (source->head > 1024 && source->head * 2 > failures->len) {
        g_array_remove_range(failures, 0, source->head);
        source->head = 0;
    }
    guint usernames = g_hash_table_size(source->users);
    if (usernames >= config->attack_usernames && !source->alerted) {
        source->alerted = TRUE;
        raise_at(tracker, site, site_is_txn, source, usernames, NULL);
    }
}

/* A user name's hash: the credentials' username, else the user part of the AOR or From URI. */
static guint32
user_hash_of(const sa_txn_t *txn)
{
    sa_span_t user;
    if (!sa_txn_user(txn, &user))
        return 0;
    return sa_digest_text_hash(user);
}

void
sa_attacks_note_refusal(sa_tracker_t *tracker, gconstpointer site, gboolean site_is_txn, sa_addr_t src,
                        const sa_txn_t *retry, gint64 time_ns)
{
    add_failure(tracker, src, user_hash_of(retry), time_ns, site, site_is_txn);
}

void
sa_attacks_note_challenge(sa_tracker_t *tracker, sa_addr_t src)
{
    if (tracker->config.attack_usernames == 0)
        return;
    sa_attacks_t *attacks = tracker->attacks;
    if (attacks->n_pending % PENDING_BLOCK == 0 && attacks->n_pending / PENDING_BLOCK == attacks->pending->len)
        g_ptr_array_add(attacks->pending, g_new(pending_source_t, PENDING_BLOCK));
    pending_store(pending_at(attacks, attacks->first_pending + attacks->n_pending), src);
    attacks->n_pending++;
}

void
sa_attacks_advance(sa_tracker_t *tracker, gint64 now_ns)
{
    sa_attacks_t *attacks = tracker->attacks;
    if (tracker->config.attack_usernames == 0)
        return;
    gint64 timeout_ns = (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S;
    GPtrArray *attempts = tracker->attempts;
    for (; attacks->cursor < attempts->len; attacks->cursor++) {
        sa_attempt_t *attempt = g_ptr_array_index(attempts, attacks->cursor);
        if (attempt->challenge_time + timeout_ns >= now_ns)
            break;
        if (attempt->retry != NULL)
            continue;
        add_failure(tracker, pending_load(pending_at(attacks, attacks->cursor)), user_hash_of(attempt->request), attempt->challenge_time,
                    attempt, FALSE);
    }
    /* Decided challenges leave the queue a block at a time. */
    while (attacks->cursor - attacks->first_pending >= PENDING_BLOCK) {
        g_ptr_array_remove_index(attacks->pending, 0);
        attacks->first_pending += PENDING_BLOCK;
        attacks->n_pending -= PENDING_BLOCK;
    }
}

void
sa_attacks_note_scanner(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_addr_t src, const char *user_agent)
{
    if (tracker->config.attack_usernames == 0 || !usable_address(src))
        return;
    source_t *source = source_of(tracker->attacks, src.bytes, src.len);
    if (source->scanner_alerted)
        return;
    source->scanner_alerted = TRUE;
    raise_at(tracker, attempt, FALSE, source, 0, user_agent);
}

const sa_attack_t *
sa_attacks_at(const sa_tracker_t *tracker, gconstpointer site)
{
    return g_hash_table_lookup(tracker->attacks->sites, site);
}
